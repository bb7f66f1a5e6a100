// iam/role: a role under the platform's IAM path with a trust policy and managed policies. IRSA
// roles build their trust policy from the cluster's OIDC provider, exactly as EKS needs it.
import {
  AttachRolePolicyCommand, CreateRoleCommand, DeleteRoleCommand, DetachRolePolicyCommand, GetRoleCommand, ListAttachedRolePoliciesCommand,
  paginateListRoles, UpdateAssumeRolePolicyCommand, type IAMClient, type Role,
} from '@aws-sdk/client-iam';
import { errorName, isNotFound } from '../../cloud/aws-errors.js';
import { ownershipTags } from '../ownership.js';
import { defineKind, type DiffResult, type FieldChange, type Observed } from '../kind.js';
import { irsaTrust, normalisePolicy, policiesEqual, type PolicyDocument } from './policy-document.js';
import { iamName, iamPath, idFromName } from './paths.js';

export interface RoleProps {
  /** A fixed trust policy, or `irsa` to build it from the cluster's OIDC provider. */
  trustPolicy?: PolicyDocument;
  irsa?: { providerArn: string; issuer: string; namespace: string; serviceAccount: string };
  managedPolicyArns: string[];
  description?: string;
}

interface RoleState { trustPolicy: PolicyDocument; managedPolicyArns: string[] }

/** Pure: the trust policy a role should have. */
export function desiredTrust(p: RoleProps): PolicyDocument {
  if (p.irsa) return irsaTrust(p.irsa.providerArn, p.irsa.issuer, p.irsa.namespace, p.irsa.serviceAccount);
  return p.trustPolicy!;
}

async function attached(iam: IAMClient, name: string): Promise<string[]> {
  const res = await iam.send(new ListAttachedRolePoliciesCommand({ RoleName: name }));
  return (res.AttachedPolicies ?? []).map((p) => p.PolicyArn!).sort();
}

async function toObserved(iam: IAMClient, platform: string, role: Role): Promise<Observed<RoleState>> {
  return {
    id: idFromName(platform, 'role', role.RoleName!), kind: roleKind.kind, physicalId: role.RoleName!, owned: true, status: 'available',
    state: { trustPolicy: normalisePolicy(role.AssumeRolePolicyDocument!), managedPolicyArns: await attached(iam, role.RoleName!) },
    outputs: { arn: role.Arn, name: role.RoleName },
  };
}

export const roleKind = defineKind<RoleProps, RoleState>({
  kind: 'iam/role',
  deletionCategory: 'iam',
  async observeAll(ctx) {
    const out: Observed<RoleState>[] = [];
    // Our path holds only our roles: one paged list finds them all. Attached policies have no
    // batch read (one ListAttachedRolePolicies per role; a platform has a handful of roles).
    for await (const page of paginateListRoles({ client: ctx.aws.iam }, { PathPrefix: iamPath(ctx.platform) })) {
      out.push(...(await Promise.all((page.Roles ?? []).map((r) => toObserved(ctx.aws.iam, ctx.platform, r)))));
    }
    return out;
  },
  diff(desired, observed): DiffResult {
    const fields: FieldChange[] = [];
    const trust = desiredTrust(desired);
    if (!policiesEqual(trust, observed.state.trustPolicy)) fields.push({ path: 'trustPolicy', old: observed.state.trustPolicy, new: normalisePolicy(trust) });
    const want = [...desired.managedPolicyArns].sort();
    const have = observed.state.managedPolicyArns;
    for (const arn of want.filter((a) => !have.includes(a))) fields.push({ path: `managedPolicyArns[${arn}]`, old: null, new: 'attached' });
    for (const arn of have.filter((a) => !want.includes(a))) fields.push({ path: `managedPolicyArns[${arn}]`, old: 'attached', new: null });
    return { fields, replaces: [] };
  },
  async create(ctx, desired) {
    const name = iamName(ctx.platform, desired.id);
    let role: Role;
    try {
      role = (await ctx.aws.iam.send(new CreateRoleCommand({
        RoleName: name, Path: iamPath(ctx.platform), AssumeRolePolicyDocument: JSON.stringify(desiredTrust(desired.properties)),
        Description: desired.properties.description, Tags: ownershipTags(ctx.platform, desired.id),
      }))).Role!;
    } catch (err) {
      // Created by an earlier, interrupted run: carry on with it (the path proves it is ours).
      if (errorName(err) !== 'EntityAlreadyExistsException') throw err;
      role = (await ctx.aws.iam.send(new GetRoleCommand({ RoleName: name }))).Role!;
      if (role.Path !== iamPath(ctx.platform)) throw err;
    }
    const observed = await toObserved(ctx.aws.iam, ctx.platform, role);
    return this.update(ctx, desired, observed, this.diff(desired.properties, observed));
  },
  async update(ctx, desired, observed, changes) {
    const iam = ctx.aws.iam;
    if (changes.fields.some((f) => f.path === 'trustPolicy')) {
      await iam.send(new UpdateAssumeRolePolicyCommand({ RoleName: observed.physicalId, PolicyDocument: JSON.stringify(desiredTrust(desired.properties)) }));
    }
    for (const f of changes.fields.filter((x) => x.path.startsWith('managedPolicyArns['))) {
      const arn = f.path.slice('managedPolicyArns['.length, -1);
      if (f.new === 'attached') await iam.send(new AttachRolePolicyCommand({ RoleName: observed.physicalId, PolicyArn: arn }));
      else await iam.send(new DetachRolePolicyCommand({ RoleName: observed.physicalId, PolicyArn: arn }));
    }
    return (await this.refresh(ctx, observed))!;
  },
  async delete(ctx, observed) {
    const iam = ctx.aws.iam;
    // IAM refuses to delete a role with policies attached (DeleteConflict): detach them first.
    // Each step's not-found means that step is done (a lost answer, a retry, someone else), not
    // the role: the role is deleted regardless.
    const ignoreNotFound = (err: unknown) => {
      if (!isNotFound(err)) throw err;
    };
    const arns = await attached(iam, observed.physicalId).catch((err: unknown) => (ignoreNotFound(err), []));
    for (const arn of arns) {
      await iam.send(new DetachRolePolicyCommand({ RoleName: observed.physicalId, PolicyArn: arn })).catch(ignoreNotFound);
    }
    await iam.send(new DeleteRoleCommand({ RoleName: observed.physicalId })).catch(ignoreNotFound);
  },
  async refresh(ctx, observed) {
    try {
      const role = (await ctx.aws.iam.send(new GetRoleCommand({ RoleName: observed.physicalId }))).Role!;
      return toObserved(ctx.aws.iam, ctx.platform, role);
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw err;
    }
  },
  ready: () => true,
});
