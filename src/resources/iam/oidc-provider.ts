// iam/oidc-provider: the IAM OIDC provider for the cluster's issuer, which IRSA roles trust.
// No thumbprint: IAM validates the EKS issuer against its own trusted CAs.
import {
  CreateOpenIDConnectProviderCommand, DeleteOpenIDConnectProviderCommand, GetOpenIDConnectProviderCommand, type GetOpenIDConnectProviderCommandOutput, ListOpenIDConnectProvidersCommand, type IAMClient,
} from '@aws-sdk/client-iam';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { errorName, isNotFound } from '../../cloud/aws-errors.js';
import { cachePerClient } from '../../cloud/lifetime-cache.js';
import { ownedId, ownershipTags } from '../ownership.js';
import { defineKind, type Observed } from '../kind.js';

export interface OidcProviderProps {
  /** The issuer URL (https://oidc.eks.<region>.amazonaws.com/id/<ID>). */
  url: string;
  clientIds: string[];
}
type OidcState = { url: string; clientIds: string[] };

/**
 * Providers by ARN, across reconciles: the URL is the ARN's own, and platformd sets the tags and
 * client ids at creation and never changes them. NOTE(oidc-cache): a client id another party adds
 * or removes is therefore seen after a restart, not on the next reconcile (issue 19 trades that
 * call for a flat no-op reconcile). delete() and a failed read drop the entry.
 */
const providers = cachePerClient<GetOpenIDConnectProviderCommandOutput>(1_000);

async function describe(iam: IAMClient, platform: string, arn: string, reuse = false): Promise<Observed<OidcState> | undefined> {
  const cache = providers(iam);
  let p = reuse ? cache.get(arn) : undefined;
  if (!p) {
    cache.delete(arn);
    p = await iam.send(new GetOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: arn }));
    cache.set(arn, p);
  }
  const id = ownedId(p.Tags, platform);
  if (!id) return undefined;
  return { id, kind: oidcProviderKind.kind, physicalId: arn, owned: true, status: 'available',
    state: { url: `https://${p.Url!.replace(/^https:\/\//, '')}`, clientIds: [...(p.ClientIDList ?? [])].sort() }, outputs: { arn } };
}

export const oidcProviderKind = defineKind<OidcProviderProps, OidcState>({
  kind: 'iam/oidc-provider',
  deletionCategory: 'iam',
  async observeAll(ctx) {
    // The list has ARNs only; ownership needs each provider's tags (accounts hold a few providers).
    const list = (await ctx.aws.iam.send(new ListOpenIDConnectProvidersCommand({}))).OpenIDConnectProviderList ?? [];
    const found = await Promise.all(list.map((p) => describe(ctx.aws.iam, ctx.platform, p.Arn!, true)));
    return found.filter((o): o is Observed<OidcState> => o !== undefined);
  },
  diff(desired, observed) {
    const fields = [];
    if (desired.url !== observed.state.url) fields.push({ path: 'url', old: observed.state.url, new: desired.url });
    if (JSON.stringify([...desired.clientIds].sort()) !== JSON.stringify(observed.state.clientIds)) fields.push({ path: 'clientIds', old: observed.state.clientIds, new: desired.clientIds });
    return { fields, replaces: fields.map((f) => f.path) };
  },
  async create(ctx, desired) {
    let arn: string;
    try {
      arn = (await ctx.aws.iam.send(new CreateOpenIDConnectProviderCommand({ Url: desired.properties.url, ClientIDList: desired.properties.clientIds,
        Tags: ownershipTags(ctx.platform, desired.id) }))).OpenIDConnectProviderArn!;
    } catch (err) {
      if (errorName(err) !== 'EntityAlreadyExistsException') throw err;
      const account = (await ctx.aws.sts.send(new GetCallerIdentityCommand({}))).Account;
      arn = `arn:aws:iam::${account}:oidc-provider/${desired.properties.url.replace(/^https:\/\//, '')}`;
      // Reuse it only if it is ours (an interrupted run); never adopt someone else's provider.
      if (!(await describe(ctx.aws.iam, ctx.platform, arn))) throw err;
    }
    return (await describe(ctx.aws.iam, ctx.platform, arn))!;
  },
  async update(ctx, _desired, observed) {
    return (await this.refresh(ctx, observed))!;
  },
  async delete(ctx, observed) {
    try {
      await ctx.aws.iam.send(new DeleteOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: observed.physicalId }));
    } catch (err) {
      if (!isNotFound(err)) throw err;
    } finally {
      providers(ctx.aws.iam).delete(observed.physicalId);
    }
  },
  async refresh(ctx, observed) {
    try {
      return await describe(ctx.aws.iam, ctx.platform, observed.physicalId);
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw err;
    }
  },
  ready: () => true,
});
