// Who the emulated load balancer controller's AWS calls are made as. On EKS the pod identity
// webhook gives a pod whose ServiceAccount carries eks.amazonaws.com/role-arn the env
// AWS_ROLE_ARN and a projected token (audience sts.amazonaws.com) at AWS_WEB_IDENTITY_TOKEN_FILE
// (https://github.com/aws/amazon-eks-pod-identity-webhook, README); the SDK's web identity
// provider exchanges it with sts:AssumeRoleWithWebIdentity, session name = the time in
// nanoseconds when none is set (aws-sdk-go-v2 credentials/stscreds/web_identity_provider.go),
// and signs every call with the temporary credentials. A pod without the annotation falls back
// to the node's instance profile, which the sandbox does not put under enforcement.
import { ServiceError, type RequestContext } from '../../aws/service.js';
import type { ScaledClock } from '../../clock.js';
import { AuthorizationDenied, type RequestAuthorizer } from '../../aws/iam-auth/enforcer.js';
import type { CallLog } from '../../aws/call-log.js';
import type { WebIdentityFederation } from '../../aws/iam-auth/web-identity.js';
import type { OidcIssuers } from '../../kube/oidc-issuer.js';
import type { KubeObject } from './objects.js';

const ROLE_ARN_ANNOTATION = 'eks.amazonaws.com/role-arn';
const TOKEN_AUDIENCE = 'sts.amazonaws.com';
/** The SDK refreshes cached credentials this long before they expire. */
const REFRESH_BEFORE_MS = 5 * 60_000;

/** The controller pod's AWS identity: credentials from its ServiceAccount, and the check of each call. */
export interface ControllerIdentity {
  /** The pod's access key (undefined: no IRSA role, calls are not put under IAM). Throws STS's refusal. */
  accessKey(pod: { namespace: string; serviceAccount: string; roleArn: string | undefined }): Promise<string | undefined>;
  /** IAM's decision on one call signed with `accessKey`; throws the service's AccessDenied. */
  authorize(accessKey: string, service: 'elbv2' | 'ec2', operation: string, input: Record<string, unknown>, region: string): Promise<void>;
  /**
   * One call made as `accessKey` (undefined: not under IAM): authorised, run, and recorded in the
   * call log with its principal, IAM's decision and its outcome. Throws what the call throws.
   */
  call<T>(accessKey: string | undefined, service: 'elbv2' | 'ec2' | 'ecr', operation: string, input: Record<string, unknown>, region: string, run: () => Promise<T>): Promise<T>;
}

/** The role ARN the webhook would inject for a pod of this Deployment (from its ServiceAccount). */
export function podServiceAccount(deployment: KubeObject, serviceAccountOf: (namespace: string, name: string) => KubeObject | undefined) {
  const namespace = deployment.metadata.namespace ?? 'default';
  const serviceAccount: string = deployment.spec?.template?.spec?.serviceAccountName ?? 'default';
  const roleArn: unknown = serviceAccountOf(namespace, serviceAccount)?.metadata.annotations?.[ROLE_ARN_ANNOTATION];
  return { namespace, serviceAccount, roleArn: typeof roleArn === 'string' ? roleArn : undefined };
}

/**
 * The error the controller's SDK surfaces when the credential exchange fails (the Go SDK wraps
 * it as "get identity: get credentials: failed to refresh cached credentials, … operation error
 * STS: AssumeRoleWithWebIdentity, https response error StatusCode: 403, … api error AccessDenied: …").
 */
function credentialError(err: unknown): unknown {
  if (!(err instanceof ServiceError)) return err;
  return new ServiceError(err.code, `get identity: get credentials: failed to refresh cached credentials, failed to retrieve credentials, operation error STS: AssumeRoleWithWebIdentity, https response error StatusCode: ${err.status}, api error ${err.code}: ${err.message}`, err.status);
}

export function irsaIdentity(o: {
  accountId: string;
  clock: ScaledClock;
  sts: Pick<WebIdentityFederation, 'assume'>;
  issuers: Pick<OidcIssuers, 'issue'>;
  /** The cluster's OIDC issuer URL (identity.oidc.issuer). */
  issuerUrl: () => string | undefined;
  authorizer: RequestAuthorizer;
  /** Where the agent's calls are recorded (agentCalls), under the agent's name. */
  callLog?: CallLog;
  agent?: string;
}): ControllerIdentity {
  const contextOf = (accessKeyId: string, region: string): RequestContext => ({ requestId: 'in-process', accountId: o.accountId, region, accessKeyId, clock: o.clock, host: 'in-process' });
  return {
    async accessKey(pod) {
      if (!pod.roleArn) return undefined;
      const issuer = o.issuerUrl();
      if (!issuer) throw new ServiceError('InvalidIdentityToken', 'the cluster has no OIDC issuer', 400);
      const token = o.issuers.issue(issuer, pod.namespace, pod.serviceAccount, TOKEN_AUDIENCE);
      const answer = await o.sts.assume({ RoleArn: pod.roleArn, RoleSessionName: String(BigInt(Date.now()) * 1_000_000n), WebIdentityToken: token }, { accountId: o.accountId })
        .catch((err: unknown) => { throw credentialError(err); });
      return answer.Credentials.AccessKeyId;
    },
    async authorize(accessKey, service, operation, input, region) {
      await o.authorizer.authorize(service, operation, input, contextOf(accessKey, region));
    },
    async call(accessKey, service, operation, input, region, run) {
      const record = (fields: { status: number; errorCode?: string; principal?: string; decision?: 'allowed' | 'denied' }) =>
        o.callLog?.addAgentCall({ agent: o.agent ?? 'in-cluster', service, operation, requestId: 'in-process', input, ...fields });
      let decided: { principal?: string; decision?: 'allowed' } = {};
      try {
        const authorized = accessKey === undefined ? undefined : await o.authorizer.authorize(service, operation, input, contextOf(accessKey, region));
        if (authorized) decided = { principal: authorized.principalArn, decision: 'allowed' };
        const output = await run();
        record({ status: 200, ...decided });
        return output;
      } catch (err) {
        const denied = err instanceof AuthorizationDenied ? { principal: err.principalArn, decision: 'denied' as const } : decided;
        record({ status: err instanceof ServiceError ? err.status : 500, errorCode: err instanceof ServiceError ? err.code : 'InternalError', ...denied });
        throw err;
      }
    },
  };
}

/** Credentials cached per pod as the SDK caches them: until shortly before they expire, or until the pod is replaced. */
export class PodCredentials {
  private cached?: { pod: string; accessKey: string | undefined; renewAt: number };

  constructor(private readonly identity: ControllerIdentity) {}

  async accessKey(podKey: string, pod: Parameters<ControllerIdentity['accessKey']>[0]): Promise<string | undefined> {
    if (this.cached?.pod === podKey && this.cached.renewAt > Date.now()) return this.cached.accessKey;
    this.cached = undefined;
    const accessKey = await this.identity.accessKey(pod);
    this.cached = { pod: podKey, accessKey, renewAt: Date.now() + 3600_000 - REFRESH_BEFORE_MS };
    return accessKey;
  }
}
