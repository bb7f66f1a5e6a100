// The emulated IAM service (awsQuery, signing name iam): roles, customer-managed policies with
// versions, AWS-managed policies, OIDC providers. Policy documents are URL-encoded in responses
// exactly as real IAM returns them.
import { randomBytes } from 'node:crypto';
import { queryCodec } from '../../protocol/query.js';
import { ServiceError, type EmulatedService, type OperationHandler } from '../../service.js';
import { IamState, type ManagedPolicy, type OidcProvider, type Role } from './state.js';

const enc = (doc: string) => encodeURIComponent(doc);
const newId = (prefix: string) => prefix + randomBytes(10).toString('hex').toUpperCase().slice(0, 17);
const tagList = (tags: Map<string, string>) => [...tags].map(([Key, Value]) => ({ Key, Value }));

function noSuch(kind: string, name: string): ServiceError {
  return new ServiceError('NoSuchEntity', `The ${kind} with name ${name} cannot be found.`, 404);
}

function validateDocument(doc: unknown): string {
  const text = String(doc ?? '');
  try {
    const parsed = JSON.parse(text);
    if (!parsed.Statement) throw new Error('no Statement');
  } catch {
    throw new ServiceError('MalformedPolicyDocument', 'This policy contains invalid Json', 400);
  }
  return text;
}

function roleWire(r: Role, withTags: boolean) {
  return { Path: r.path, RoleName: r.name, RoleId: r.roleId, Arn: r.arn, CreateDate: r.created, AssumeRolePolicyDocument: enc(r.trust),
    Description: r.description, MaxSessionDuration: 3600, ...(withTags && r.tags.size > 0 ? { Tags: tagList(r.tags) } : {}) };
}

function policyWire(p: ManagedPolicy) {
  const def = p.versions.find((v) => v.isDefault)!;
  return { PolicyName: p.name, PolicyId: p.policyId, Arn: p.arn, Path: p.path, DefaultVersionId: def.id, AttachmentCount: 0, IsAttachable: true,
    CreateDate: p.created, UpdateDate: def.created, ...(p.tags.size > 0 ? { Tags: tagList(p.tags) } : {}) };
}

/** Marker/MaxItems paging as IAM does it. */
function page<T>(items: T[], input: { Marker?: string; MaxItems?: string }): { items: T[]; IsTruncated: boolean; Marker?: string } {
  const start = input.Marker ? Number(Buffer.from(input.Marker, 'base64').toString()) : 0;
  const max = input.MaxItems ? Number(input.MaxItems) : 100;
  const slice = items.slice(start, start + max);
  const truncated = start + max < items.length;
  return { items: slice, IsTruncated: truncated, ...(truncated ? { Marker: Buffer.from(String(start + max)).toString('base64') } : {}) };
}

export class IamService implements EmulatedService {
  readonly name = 'iam';
  readonly signingName = 'iam';
  readonly codec = queryCodec({ flavour: 'aws', xmlns: 'https://iam.amazonaws.com/doc/2010-05-08/' });
  readonly throttle = { code: 'Throttling', status: 400, message: 'Rate exceeded' };
  readonly operations: Record<string, OperationHandler>;
  private states = new Map<string, IamState>();

  constructor(private readonly accountId: string) {
    const st = (accountId: string) => this.state(accountId);
    const role = (s: IamState, name: unknown) => {
      const r = s.roles.get(String(name));
      if (!r) throw noSuch('role', String(name));
      return r;
    };
    const policy = (s: IamState, arn: unknown) => {
      const p = s.policies.get(String(arn));
      if (!p) throw new ServiceError('NoSuchEntity', `Policy ${arn} does not exist or is not attachable.`, 404);
      return p;
    };
    this.operations = {
      CreateRole(input, ctx) {
        const s = st(ctx.accountId);
        const name = String(input.RoleName);
        if (s.roles.has(name)) throw new ServiceError('EntityAlreadyExists', `Role with name ${name} already exists.`, 409);
        const path = String(input.Path ?? '/');
        const r: Role = { name, path, arn: `arn:aws:iam::${ctx.accountId}:role${path}${name}`, roleId: newId('AROA'), trust: validateDocument(input.AssumeRolePolicyDocument),
          created: new Date(), tags: new Map((input.Tags ?? []).map((t: { Key: string; Value: string }) => [t.Key, t.Value ?? ''])), attached: new Set(), description: input.Description };
        s.roles.set(name, r);
        return { Role: roleWire(r, true) };
      },
      GetRole: (input, ctx) => ({ Role: roleWire(role(st(ctx.accountId), input.RoleName), true) }),
      ListRoles(input, ctx) {
        const prefix = String(input.PathPrefix ?? '/');
        const all = [...st(ctx.accountId).roles.values()].filter((r) => r.path.startsWith(prefix)).sort((a, b) => a.name.localeCompare(b.name));
        const p = page(all, input);
        // ListRoles does not return tags.
        return { Roles: p.items.map((r) => roleWire(r, false)), IsTruncated: p.IsTruncated, Marker: p.Marker };
      },
      UpdateAssumeRolePolicy(input, ctx) {
        role(st(ctx.accountId), input.RoleName).trust = validateDocument(input.PolicyDocument);
        return {};
      },
      DeleteRole(input, ctx) {
        const s = st(ctx.accountId);
        const r = role(s, input.RoleName);
        if (r.attached.size > 0) throw new ServiceError('DeleteConflict', 'Cannot delete entity, must detach all policies first.', 409);
        s.roles.delete(r.name);
        return {};
      },
      TagRole(input, ctx) {
        const r = role(st(ctx.accountId), input.RoleName);
        for (const t of input.Tags ?? []) r.tags.set(t.Key, t.Value ?? '');
        return {};
      },
      ListRoleTags: (input, ctx) => ({ Tags: tagList(role(st(ctx.accountId), input.RoleName).tags), IsTruncated: false }),
      AttachRolePolicy(input, ctx) {
        const s = st(ctx.accountId);
        const r = role(s, input.RoleName);
        policy(s, input.PolicyArn);
        if (!r.attached.has(input.PolicyArn) && r.attached.size >= 10) throw new ServiceError('LimitExceeded', 'Cannot exceed quota for PoliciesPerRole: 10', 409);
        r.attached.add(String(input.PolicyArn));
        return {};
      },
      DetachRolePolicy(input, ctx) {
        const r = role(st(ctx.accountId), input.RoleName);
        if (!r.attached.delete(String(input.PolicyArn))) throw new ServiceError('NoSuchEntity', `Policy ${input.PolicyArn} was not found.`, 404);
        return {};
      },
      ListAttachedRolePolicies(input, ctx) {
        const s = st(ctx.accountId);
        const r = role(s, input.RoleName);
        return { AttachedPolicies: [...r.attached].map((arn) => ({ PolicyArn: arn, PolicyName: s.policies.get(arn)?.name ?? arn.split('/').pop() })), IsTruncated: false };
      },
      CreatePolicy(input, ctx) {
        const s = st(ctx.accountId);
        const path = String(input.Path ?? '/');
        const arn = `arn:aws:iam::${ctx.accountId}:policy${path}${input.PolicyName}`;
        if (s.policies.has(arn)) throw new ServiceError('EntityAlreadyExists', `A policy called ${input.PolicyName} already exists. Duplicate names are not allowed.`, 409);
        const p: ManagedPolicy = { name: String(input.PolicyName), path, arn, policyId: newId('ANPA'), created: new Date(), awsManaged: false, nextVersion: 2,
          versions: [{ id: 'v1', document: validateDocument(input.PolicyDocument), isDefault: true, created: new Date() }],
          tags: new Map((input.Tags ?? []).map((t: { Key: string; Value: string }) => [t.Key, t.Value ?? ''])) };
        s.policies.set(arn, p);
        return { Policy: policyWire(p) };
      },
      GetPolicy: (input, ctx) => ({ Policy: policyWire(policy(st(ctx.accountId), input.PolicyArn)) }),
      ListPolicies(input, ctx) {
        const s = st(ctx.accountId);
        const scope = String(input.Scope ?? 'All');
        const prefix = String(input.PathPrefix ?? '/');
        const all = [...s.policies.values()].filter((p) => (scope === 'All' || (scope === 'Local') !== p.awsManaged) && p.path.startsWith(prefix));
        const pg = page(all, input);
        return { Policies: pg.items.map((p) => ({ ...policyWire(p), AttachmentCount: s.attachmentCount(p.arn), Tags: undefined })), IsTruncated: pg.IsTruncated, Marker: pg.Marker };
      },
      GetPolicyVersion(input, ctx) {
        const p = policy(st(ctx.accountId), input.PolicyArn);
        const v = p.versions.find((x) => x.id === input.VersionId);
        if (!v) throw new ServiceError('NoSuchEntity', `Policy ${p.arn} version ${input.VersionId} does not exist or is not attachable.`, 404);
        return { PolicyVersion: { Document: enc(v.document), VersionId: v.id, IsDefaultVersion: v.isDefault, CreateDate: v.created } };
      },
      ListPolicyVersions(input, ctx) {
        const p = policy(st(ctx.accountId), input.PolicyArn);
        return { Versions: p.versions.map((v) => ({ VersionId: v.id, IsDefaultVersion: v.isDefault, CreateDate: v.created })), IsTruncated: false };
      },
      CreatePolicyVersion(input, ctx) {
        const p = policy(st(ctx.accountId), input.PolicyArn);
        if (p.versions.length >= 5) throw new ServiceError('LimitExceeded', `A managed policy can have up to 5 versions. Before you create a new version, you must delete an existing version.`, 409);
        const v = { id: `v${p.nextVersion++}`, document: validateDocument(input.PolicyDocument), isDefault: input.SetAsDefault === 'true', created: new Date() };
        if (v.isDefault) for (const o of p.versions) o.isDefault = false;
        p.versions.push(v);
        return { PolicyVersion: { VersionId: v.id, IsDefaultVersion: v.isDefault, CreateDate: v.created } };
      },
      DeletePolicyVersion(input, ctx) {
        const p = policy(st(ctx.accountId), input.PolicyArn);
        const v = p.versions.find((x) => x.id === input.VersionId);
        if (!v) throw new ServiceError('NoSuchEntity', `Policy version ${input.VersionId} does not exist.`, 404);
        if (v.isDefault) throw new ServiceError('DeleteConflict', 'Cannot delete the default version of a policy.', 409);
        p.versions = p.versions.filter((x) => x !== v);
        return {};
      },
      DeletePolicy(input, ctx) {
        const s = st(ctx.accountId);
        const p = policy(s, input.PolicyArn);
        if (s.attachmentCount(p.arn) > 0 || p.versions.length > 1) throw new ServiceError('DeleteConflict', 'Cannot delete a policy attached to entities or with non-default versions.', 409);
        s.policies.delete(p.arn);
        return {};
      },
      CreateOpenIDConnectProvider(input, ctx) {
        const s = st(ctx.accountId);
        const url = String(input.Url).replace(/^https:\/\//, '');
        const arn = `arn:aws:iam::${ctx.accountId}:oidc-provider/${url}`;
        if (s.oidcProviders.has(arn)) throw new ServiceError('EntityAlreadyExists', `Provider with url https://${url} already exists.`, 409);
        s.oidcProviders.set(arn, { arn, url, clientIds: input.ClientIDList ?? [], thumbprints: input.ThumbprintList ?? [], created: new Date(),
          tags: new Map((input.Tags ?? []).map((t: { Key: string; Value: string }) => [t.Key, t.Value ?? ''])) });
        return { OpenIDConnectProviderArn: arn, Tags: input.Tags };
      },
      GetOpenIDConnectProvider(input, ctx) {
        const p = st(ctx.accountId).oidcProviders.get(String(input.OpenIDConnectProviderArn));
        if (!p) throw new ServiceError('NoSuchEntity', `OpenIDConnect Provider not found for arn ${input.OpenIDConnectProviderArn}`, 404);
        return { Url: p.url, ClientIDList: p.clientIds, ThumbprintList: p.thumbprints, CreateDate: p.created, Tags: tagList(p.tags) };
      },
      // Both idempotent (IAM API reference): adding a client id already there or removing one that
      // is not there succeeds; an unknown provider is NoSuchEntity; a client id is 1–255 characters.
      AddClientIDToOpenIDConnectProvider(input, ctx) {
        const p = oidcProvider(st(ctx.accountId), input.OpenIDConnectProviderArn, input.ClientID);
        if (!p.clientIds.includes(String(input.ClientID))) p.clientIds = [...p.clientIds, String(input.ClientID)];
        return {};
      },
      RemoveClientIDFromOpenIDConnectProvider(input, ctx) {
        const p = oidcProvider(st(ctx.accountId), input.OpenIDConnectProviderArn, input.ClientID);
        p.clientIds = p.clientIds.filter((c) => c !== String(input.ClientID));
        return {};
      },
      // TagOpenIDConnectProvider adds or overwrites (a key already there takes the new value).
      TagOpenIDConnectProvider(input, ctx) {
        const p = st(ctx.accountId).oidcProviders.get(String(input.OpenIDConnectProviderArn));
        if (!p) throw new ServiceError('NoSuchEntity', `OpenIDConnect Provider not found for arn ${String(input.OpenIDConnectProviderArn)}`, 404);
        const tags = new Map(p.tags);
        for (const tag of (input.Tags ?? []) as { Key: string; Value?: string }[]) tags.set(tag.Key, tag.Value ?? '');
        if (tags.size > 50) throw new ServiceError('LimitExceeded', 'Cannot exceed quota for TagsPerOpenIdConnectProvider: 50', 409);
        p.tags = tags;
        return {};
      },
      ListOpenIDConnectProviders: (_input, ctx) => ({ OpenIDConnectProviderList: [...st(ctx.accountId).oidcProviders.keys()].map((Arn) => ({ Arn })) }),
      DeleteOpenIDConnectProvider(input, ctx) {
        if (!st(ctx.accountId).oidcProviders.delete(String(input.OpenIDConnectProviderArn))) {
          throw new ServiceError('NoSuchEntity', `OpenIDConnect Provider not found for arn ${input.OpenIDConnectProviderArn}`, 404);
        }
        return {};
      },
    };
  }

  state(accountId = this.accountId): IamState {
    let s = this.states.get(accountId);
    if (!s) {
      s = new IamState(accountId);
      this.states.set(accountId, s);
    }
    return s;
  }

  reset(): void {
    this.states.clear();
  }
}

/** The provider a client-id call names, after IAM's input checks. */
function oidcProvider(s: IamState, arn: unknown, clientId: unknown): OidcProvider {
  if (typeof clientId !== 'string' || clientId.length < 1 || clientId.length > 255) {
    throw new ServiceError('InvalidInput', 'ClientID must be between 1 and 255 characters', 400);
  }
  const p = s.oidcProviders.get(String(arn));
  if (!p) throw new ServiceError('NoSuchEntity', `OpenIDConnect Provider not found for arn ${String(arn)}`, 404);
  return p;
}
