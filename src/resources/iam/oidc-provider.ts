// iam/oidc-provider: the IAM OIDC provider for the cluster's issuer, which IRSA roles trust.
// No thumbprint: IAM validates the EKS issuer against its own trusted CAs.
import {
  AddClientIDToOpenIDConnectProviderCommand, RemoveClientIDFromOpenIDConnectProviderCommand, TagOpenIDConnectProviderCommand, CreateOpenIDConnectProviderCommand, DeleteOpenIDConnectProviderCommand, GetOpenIDConnectProviderCommand, type GetOpenIDConnectProviderCommandOutput, ListOpenIDConnectProvidersCommand, type IAMClient,
} from '@aws-sdk/client-iam';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { errorName, isNotFound } from '../../cloud/aws-errors.js';
import { cachePerClient } from '../../cloud/lifetime-cache.js';
import { ownedId, ownershipTags, tagMap } from '../ownership.js';
import { defineKind, type Observed } from '../kind.js';
import { appliedDigest, TAG_APPLIED_DIGEST, withOrigins } from '../applied-digest.js';

export interface OidcProviderProps {
  /** The issuer URL (https://oidc.eks.<region>.amazonaws.com/id/<ID>). */
  url: string;
  clientIds: string[];
}
type OidcState = { url: string; clientIds: string[] };

/** What diff compares, as the applied-digest records it (client ids as a sorted set). */
const comparable = (p: OidcProviderProps): OidcState => ({ url: p.url, clientIds: [...p.clientIds].sort() });

/**
 * Other parties' providers by ARN, across reconciles: whether a provider is ours is in tags nobody
 * else changes, so another cluster's provider is read once. Ours is read on every reconcile: its
 * client ids are what every pod's web identity needs, and a client id removed behind platformd's
 * back must show in the next plan, not after a restart. delete() and a failed read drop the entry.
 */
const providers = cachePerClient<GetOpenIDConnectProviderCommandOutput>(1_000);

async function describe(iam: IAMClient, platform: string, arn: string, reuse = false): Promise<Observed<OidcState> | undefined> {
  const cache = providers(iam);
  const cached = reuse ? cache.get(arn) : undefined;
  let p = cached && ownedId(cached.Tags, platform) === undefined ? cached : undefined;
  if (!p) {
    cache.delete(arn);
    p = await iam.send(new GetOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: arn }));
    cache.set(arn, p);
  }
  const id = ownedId(p.Tags, platform);
  if (!id) return undefined;
  return { id, kind: oidcProviderKind.kind, physicalId: arn, owned: true, status: 'available',
    state: { url: `https://${p.Url!.replace(/^https:\/\//, '')}`, clientIds: [...(p.ClientIDList ?? [])].sort() }, outputs: { arn },
    appliedDigest: tagMap(p.Tags)[TAG_APPLIED_DIGEST] };
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
    // The URL is the provider's identity; client ids change in place (Add/RemoveClientID…).
    return withOrigins({ fields, replaces: fields.filter((f) => f.path === 'url').map((f) => f.path) }, comparable(desired), observed.appliedDigest);
  },
  async create(ctx, desired) {
    let arn: string;
    // URL and client ids are all set by this one call: the record goes in its tags (update() rewrites it).
    const digest = appliedDigest(comparable(desired.properties));
    try {
      arn = (await ctx.aws.iam.send(new CreateOpenIDConnectProviderCommand({ Url: desired.properties.url, ClientIDList: desired.properties.clientIds,
        Tags: [...ownershipTags(ctx.platform, desired.id), ...(digest === undefined ? [] : [{ Key: TAG_APPLIED_DIGEST, Value: digest }])] }))).OpenIDConnectProviderArn!;
    } catch (err) {
      if (errorName(err) !== 'EntityAlreadyExistsException') throw err;
      const account = (await ctx.aws.sts.send(new GetCallerIdentityCommand({}))).Account;
      arn = `arn:aws:iam::${account}:oidc-provider/${desired.properties.url.replace(/^https:\/\//, '')}`;
      // Reuse it only if it is ours (an interrupted run); never adopt someone else's provider.
      if (!(await describe(ctx.aws.iam, ctx.platform, arn))) throw err;
    }
    return (await describe(ctx.aws.iam, ctx.platform, arn))!;
  },
  async update(ctx, desired, observed) {
    const arn = observed.physicalId;
    const wanted = desired.properties.clientIds;
    for (const id of wanted.filter((c) => !observed.state.clientIds.includes(c))) {
      await ctx.aws.iam.send(new AddClientIDToOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: arn, ClientID: id }));
    }
    for (const id of observed.state.clientIds.filter((c) => !wanted.includes(c))) {
      await ctx.aws.iam.send(new RemoveClientIDFromOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: arn, ClientID: id }));
    }
    // The client ids applied: recorded once they are in place (an interrupted update records nothing).
    const digest = appliedDigest(comparable(desired.properties));
    if (digest !== undefined) await ctx.aws.iam.send(new TagOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: arn, Tags: [{ Key: TAG_APPLIED_DIGEST, Value: digest }] }));
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
