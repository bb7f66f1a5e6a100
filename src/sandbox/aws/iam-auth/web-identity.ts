// STS AssumeRoleWithWebIdentity as IRSA meets it
// (https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRoleWithWebIdentity.html):
// the token must verify against its issuer's key and be unexpired; the issuer must be registered
// as an IAM OIDC provider whose client ids include the token's audience; the role's trust policy
// must allow the provider (Principal.Federated) sts:AssumeRoleWithWebIdentity under its conditions
// on <issuer-host>:sub and <issuer-host>:aud
// (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_iam-condition-keys.html#condition-keys-wif).
// The answer is temporary credentials (ASIA… key) the emulator then accepts, whose calls are
// authorised against the role's policies as they are at each call.
import { randomBytes } from 'node:crypto';
import { ServiceError, type RequestContext } from '../service.js';
import type { IamState } from '../services/iam/state.js';
import type { IamEnforcer, IdentityPolicy } from './enforcer.js';
import type { TokenCheck } from '../../kube/oidc-issuer.js';

// Loaded lazily: AGPL devDependencies (see the NOTE in enforcer.ts).
const simulator = () => import('@cloud-copilot/iam-simulate');
const policyChecker = () => import('@cloud-copilot/iam-policy');

export interface WebIdentityInput {
  RoleArn?: unknown;
  RoleSessionName?: unknown;
  WebIdentityToken?: unknown;
  DurationSeconds?: unknown;
}

export interface TemporaryCredentials {
  AccessKeyId: string;
  SecretAccessKey: string;
  SessionToken: string;
  Expiration: Date;
}

interface Session { arn: string; expiresAt: number }

/** Roles' MaxSessionDuration in the emulated IAM (its default, 1 hour); STS's floor is 15 minutes. */
const MAX_SESSION_SECONDS = 3600;
const MIN_SESSION_SECONDS = 900;

const notAuthorized = () => new ServiceError('AccessDenied', 'Not authorized to perform sts:AssumeRoleWithWebIdentity', 403);
const invalidToken = (message: string) => new ServiceError('InvalidIdentityToken', message, 400);
const alnum = (n: number) => Array.from(randomBytes(n), (b) => 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'[b % 32]).join('');

/** A role's identity policies as IAM holds them now: each attached managed policy's default version. */
export function rolePolicies(iam: IamState, roleName: string): IdentityPolicy[] {
  const role = iam.roles.get(roleName);
  if (!role) return [];
  const out: IdentityPolicy[] = [];
  for (const arn of role.attached) {
    const doc = iam.policies.get(arn)?.versions.find((v) => v.isDefault)?.document;
    if (doc) out.push({ name: arn, document: JSON.parse(doc) as unknown });
  }
  return out;
}

/** The trust policy evaluated as a resource policy on the role, for the federated provider's request. */
async function trustAllows(trust: unknown, roleArn: string, providerArn: string, context: Record<string, string | string[]>, accountId: string): Promise<boolean> {
  const { runUnsafeSimulation } = await simulator();
  const { createValidatedPolicy, validateTrustPolicy } = await policyChecker();
  // NOTE: runSimulation drops <issuer>:sub/aud (not in its table of context keys for this action);
  // the unsafe entry point takes them as given, and the policy is validated as a trust policy here.
  const result = runUnsafeSimulation({
    request: { principal: providerArn, action: 'sts:AssumeRoleWithWebIdentity', resource: { resource: roleArn, accountId }, contextVariables: context },
    identityPolicies: [], serviceControlPolicies: [], resourceControlPolicies: [],
    resourcePolicy: createValidatedPolicy(trust, validateTrustPolicy, { name: 'trust-policy' }),
  }, {});
  return result === 'Allowed';
}

export class WebIdentityFederation {
  private readonly sessions = new Map<string, Session>();

  constructor(private readonly deps: {
    iam: (accountId: string) => IamState;
    verifyToken: (token: string) => TokenCheck;
    enforcer: IamEnforcer;
  }) {}

  /** Whether an access key is a live session this STS issued (the emulator accepts it). */
  knows(accessKeyId: string): boolean {
    const s = this.sessions.get(accessKeyId);
    return s !== undefined && s.expiresAt > Date.now();
  }

  sessionArn(accessKeyId: string): string | undefined {
    return this.sessions.get(accessKeyId)?.arn;
  }

  async assume(input: WebIdentityInput, ctx: Pick<RequestContext, 'accountId'>) {
    const roleArn = typeof input.RoleArn === 'string' ? input.RoleArn : '';
    const sessionName = typeof input.RoleSessionName === 'string' ? input.RoleSessionName : '';
    const token = typeof input.WebIdentityToken === 'string' ? input.WebIdentityToken : '';
    if (!/^[\w+=,.@-]{2,64}$/.test(sessionName)) throw new ServiceError('ValidationError', `1 validation error detected: Value '${sessionName}' at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]*`, 400);
    const duration = input.DurationSeconds === undefined ? MAX_SESSION_SECONDS : Number(input.DurationSeconds);
    if (!(duration >= MIN_SESSION_SECONDS)) throw new ServiceError('ValidationError', `1 validation error detected: Value '${String(input.DurationSeconds)}' at 'durationSeconds' failed to satisfy constraint: Member must have value greater than or equal to 900`, 400);
    if (duration > MAX_SESSION_SECONDS) throw new ServiceError('ValidationError', 'The requested DurationSeconds exceeds the MaxSessionDuration set for this role.', 400);

    const checked = this.deps.verifyToken(token);
    if (!checked.ok) {
      if (checked.expired) throw new ServiceError('ExpiredTokenException', 'Token expired: current date/time must be before the expiration date/time', 400);
      throw invalidToken(`The web identity token that was passed could not be validated by AWS (${checked.reason}).`);
    }
    const { claims } = checked;
    const iam = this.deps.iam(ctx.accountId);
    const host = claims.iss.replace(/^https:\/\//, '');
    const provider = [...iam.oidcProviders.values()].find((p) => p.url.replace(/^https:\/\//, '') === host);
    if (!provider) throw invalidToken(`No OpenIDConnect provider found in your account for ${claims.iss}`);
    const audience = claims.aud.find((a) => provider.clientIds.includes(a));
    if (audience === undefined) throw invalidToken('Incorrect token audience');

    // A role that does not exist is refused like one whose trust does not allow the caller.
    const roleName = roleArn.split('/').pop() ?? '';
    const role = iam.roles.get(roleName);
    if (!role || role.arn !== roleArn) throw notAuthorized();
    const context = { [`${host}:sub`]: claims.sub, [`${host}:aud`]: audience, 'aws:FederatedProvider': provider.arn };
    if (!(await trustAllows(JSON.parse(role.trust) as unknown, role.arn, provider.arn, context, ctx.accountId))) throw notAuthorized();

    const credentials: TemporaryCredentials = {
      AccessKeyId: `ASIA${alnum(16)}`, SecretAccessKey: randomBytes(30).toString('base64'), SessionToken: randomBytes(96).toString('base64'),
      Expiration: new Date(Math.floor((Date.now() + duration * 1000) / 1000) * 1000),
    };
    const sessionArn = `arn:aws:sts::${ctx.accountId}:assumed-role/${role.name}/${sessionName}`;
    this.sessions.set(credentials.AccessKeyId, { arn: sessionArn, expiresAt: credentials.Expiration.getTime() });
    await this.deps.enforcer.enforce(credentials.AccessKeyId, { arn: sessionArn, policies: () => rolePolicies(this.deps.iam(ctx.accountId), role.name) });
    return {
      Credentials: credentials, SubjectFromWebIdentityToken: claims.sub, Provider: provider.arn, Audience: audience,
      AssumedRoleUser: { AssumedRoleId: `${role.roleId}:${sessionName}`, Arn: sessionArn },
    };
  }
}
