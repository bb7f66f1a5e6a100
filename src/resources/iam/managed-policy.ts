// iam/policy: a customer-managed policy under the platform's path (the load balancer controller's
// permissions). A changed document becomes a new default version; old versions are pruned so the
// five-version quota never blocks an update.
import {
  CreatePolicyCommand, CreatePolicyVersionCommand, DeletePolicyCommand, DeletePolicyVersionCommand, GetPolicyCommand, GetPolicyVersionCommand,
  ListPolicyVersionsCommand, paginateListPolicies, type IAMClient, type Policy,
} from '@aws-sdk/client-iam';
import { errorName, isNotFound } from '../../cloud/aws-errors.js';
import { cachePerClient } from '../../cloud/lifetime-cache.js';
import { ownershipTags } from '../ownership.js';
import { defineKind, type Observed } from '../kind.js';
import { normalisePolicy, policiesEqual, type PolicyDocument } from './policy-document.js';
import { iamName, iamPath, idFromName } from './paths.js';

export interface ManagedPolicyProps {
  document: PolicyDocument;
  description?: string;
}

/**
 * Policy documents by `<policy arn>|<version id>`, across reconciles: a version's document never
 * changes, and IAM never gives a policy the same version id twice. A policy deleted and created
 * again under the same name has the same ARN and starts at v1 again: delete() drops its entries.
 */
const policyVersions = cachePerClient<PolicyDocument>(2_000);

async function toObserved(iam: IAMClient, platform: string, p: Policy): Promise<Observed<{ document: PolicyDocument }>> {
  // The default version's document has no batch read: one GetPolicyVersion per policy version.
  const cache = policyVersions(iam);
  const key = `${p.Arn}|${p.DefaultVersionId}`;
  let document = cache.get(key);
  if (!document) {
    const v = await iam.send(new GetPolicyVersionCommand({ PolicyArn: p.Arn, VersionId: p.DefaultVersionId }));
    document = normalisePolicy(v.PolicyVersion!.Document!);
    cache.set(key, document);
  }
  return { id: idFromName(platform, 'policy', p.PolicyName!), kind: managedPolicyKind.kind, physicalId: p.Arn!, owned: true, status: 'available',
    state: { document }, outputs: { arn: p.Arn, defaultVersionId: p.DefaultVersionId } };
}

export const managedPolicyKind = defineKind<ManagedPolicyProps, { document: PolicyDocument }>({
  kind: 'iam/policy',
  deletionCategory: 'iam',
  async observeAll(ctx) {
    const out = [];
    for await (const page of paginateListPolicies({ client: ctx.aws.iam }, { Scope: 'Local', PathPrefix: iamPath(ctx.platform) })) {
      for (const p of page.Policies ?? []) out.push(await toObserved(ctx.aws.iam, ctx.platform, p));
    }
    return out;
  },
  diff(desired, observed) {
    if (policiesEqual(desired.document, observed.state.document)) return { fields: [], replaces: [] };
    return { fields: [{ path: 'document', old: observed.state.document, new: normalisePolicy(desired.document) }], replaces: [] };
  },
  async create(ctx, desired) {
    const name = iamName(ctx.platform, desired.id);
    let policy: Policy;
    try {
      policy = (await ctx.aws.iam.send(new CreatePolicyCommand({ PolicyName: name, Path: iamPath(ctx.platform), PolicyDocument: JSON.stringify(desired.properties.document),
        Description: desired.properties.description, Tags: ownershipTags(ctx.platform, desired.id) }))).Policy!;
    } catch (err) {
      if (errorName(err) !== 'EntityAlreadyExistsException') throw err;
      // An interrupted run created it: find it under our path and bring its document up to date.
      const found = (await this.observeAll(ctx, [])).find((o) => o.id === desired.id);
      if (!found) throw err;
      return this.update(ctx, desired, found, this.diff(desired.properties, found));
    }
    return toObserved(ctx.aws.iam, ctx.platform, policy);
  },
  async update(ctx, desired, observed) {
    const iam = ctx.aws.iam;
    const versions = (await iam.send(new ListPolicyVersionsCommand({ PolicyArn: observed.physicalId }))).Versions ?? [];
    const old = versions.filter((v) => !v.IsDefaultVersion).sort((a, b) => (a.CreateDate?.getTime() ?? 0) - (b.CreateDate?.getTime() ?? 0));
    if (versions.length >= 5 && old[0]) await iam.send(new DeletePolicyVersionCommand({ PolicyArn: observed.physicalId, VersionId: old[0].VersionId }));
    await iam.send(new CreatePolicyVersionCommand({ PolicyArn: observed.physicalId, PolicyDocument: JSON.stringify(desired.properties.document), SetAsDefault: true }));
    return (await this.refresh(ctx, observed))!;
  },
  async delete(ctx, observed) {
    try {
      const versions = (await ctx.aws.iam.send(new ListPolicyVersionsCommand({ PolicyArn: observed.physicalId }))).Versions ?? [];
      for (const v of versions.filter((x) => !x.IsDefaultVersion)) await ctx.aws.iam.send(new DeletePolicyVersionCommand({ PolicyArn: observed.physicalId, VersionId: v.VersionId }));
      // DeleteConflict while a role still has it attached: the engine waits for the role's deletion.
      await ctx.aws.iam.send(new DeletePolicyCommand({ PolicyArn: observed.physicalId }));
    } catch (err) {
      if (!isNotFound(err)) throw err;
    } finally {
      policyVersions(ctx.aws.iam).deletePrefix(`${observed.physicalId}|`);
    }
  },
  async refresh(ctx, observed) {
    try {
      const p = (await ctx.aws.iam.send(new GetPolicyCommand({ PolicyArn: observed.physicalId }))).Policy!;
      return toObserved(ctx.aws.iam, ctx.platform, p);
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw err;
    }
  },
  ready: () => true,
});
