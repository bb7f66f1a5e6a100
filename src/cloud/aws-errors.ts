// AWS errors are classified once, here, by the service's error code (the SDK error's name), so
// retry and kinds never compare raw strings elsewhere. HTTP status alone never means "not found":
// a 404 without an AWS error code is a proxy or an emulator that does not serve the route, and
// reading it as "nothing exists" would plan to create everything again.
import { ErrorCodes, isPlatformdError } from '../errors.js';

/**
 * throttled/transient: retried with backoff. busy: the object is in a state that passes on its
 * own (an EKS cluster mid-update, a certificate still used by an ALB going away, an IAM role not
 * yet visible to EKS); retried with backoff. notFound: the service said the object does not
 * exist. conflict: retried only where a caller rides out deletes. auth: the credentials are
 * wrong or lack a permission (not retried). endpoint: the answer did not come from AWS, or
 * nothing answered (not retried by the engine). terminal: anything else.
 */
export type ErrorClass = 'throttled' | 'transient' | 'busy' | 'notFound' | 'conflict' | 'auth' | 'endpoint' | 'terminal';

const THROTTLING = new Set([
  'Throttling', 'ThrottlingException', 'RequestLimitExceeded', 'PriorRequestNotComplete',
  'PriorRequestNotCompleteException', 'TooManyRequestsException', 'RequestThrottled',
  'RequestThrottledException', 'EC2ThrottledException', 'SlowDown',
]);
const TRANSIENT = new Set([
  'InternalError', 'InternalFailure', 'ServiceUnavailable', 'ServiceUnavailableException',
  'ServerException', 'ServiceFailure', 'ServiceFailureException', 'Unavailable', 'TimeoutError',
  'RequestTimeout', 'RequestTimeoutException', 'ConcurrentModificationException',
  'ResourcePropagationDelayException', 'ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT',
  'ENOTFOUND', 'EAI_AGAIN', 'socket hang up',
]);
/**
 * Wrong, expired or unauthorised credentials, as each protocol spells them (EC2 AuthFailure 401 /
 * UnauthorizedOperation 403; query and REST-XML InvalidClientTokenId / SignatureDoesNotMatch /
 * AccessDenied 403; JSON UnrecognizedClientException / InvalidSignatureException /
 * AccessDeniedException). The SDK already retries the clock-skew variants once with a corrected
 * clock (shared/reference/aws-wire-protocols.md §9); past that, retrying cannot help.
 */
const AUTH = new Set([
  'AuthFailure', 'UnauthorizedOperation', 'InvalidClientTokenId', 'UnrecognizedClientException',
  'SignatureDoesNotMatch', 'InvalidSignatureException', 'IncompleteSignature', 'MissingAuthenticationToken',
  'MissingAuthenticationTokenException', 'ExpiredToken', 'ExpiredTokenException', 'RequestExpired',
  'AccessDenied', 'AccessDeniedException', 'UnauthorizedException',
]);
/**
 * Names the SDK makes up when the answer carried no AWS error code: "NotFound" (query/REST-XML
 * parsers for a bare 404), "Unknown"/"UnknownError" (no code at all) and the JSON parser's
 * SyntaxError on an HTML page. No AWS service uses these as codes.
 */
const NO_AWS_CODE = new Set(['NotFound', 'Unknown', 'UnknownError', 'SyntaxError']);
const CONFLICT = new Set([
  'DependencyViolation', 'ResourceInUseException', 'DeleteConflictException',
  'InvalidIPAddress.InUse', 'ResourceInUse', 'ResourceInUseException', 'HostedZoneNotEmpty',
  'IncorrectState', 'InvalidStateException',
]);

/**
 * ResourceInUseException whose message names a state ("Cluster has status UPDATING. Resource … is
 * in use.", ACM's "Certificate … in use by …"): busy. Without such words it is a conflict
 * ("Cluster has nodegroups attached") or a create that already happened ("already exists").
 */
const BUSY_MESSAGE = /in use|status/i;
/**
 * IAM changes take a while to reach EKS: InvalidParameterException with these messages means "try
 * again shortly" (Terraform's EKS provider retries them for 2 minutes).
 */
const IAM_PROPAGATION = [/does not exist/, /Error in role params/, /trusted entity is not correct/, /doesn't have the Amazon EKS Managed Policies/, /IAM role's policy must include/];

function isBusy(name: string, message: string): boolean {
  return (name === 'ResourceInUseException' && BUSY_MESSAGE.test(message))
    || (name === 'InvalidParameterException' && IAM_PROPAGATION.some((re) => re.test(message)));
}

export function errorName(err: unknown): string {
  if (typeof err !== 'object' || err === null) return String(err);
  // The SDK's `name` is the modeled shape name (NoSuchEntityException) or, for unmodeled codes,
  // the wire code itself (Throttling, InvalidVpcID.NotFound); `Code` is the raw wire code. A
  // numeric `code` (a Kubernetes client's HTTP status) is not an error name.
  const e = err as { name?: unknown; Code?: unknown; code?: unknown };
  if (typeof e.name === 'string' && e.name !== 'Error') return e.name;
  if (typeof e.Code === 'string') return e.Code;
  return typeof e.code === 'string' ? e.code : 'Error';
}

export function httpStatus(err: unknown): number | undefined {
  return (err as { $metadata?: { httpStatusCode?: number } })?.$metadata?.httpStatusCode;
}

/** InvalidVpcID.NotFound, NatGatewayNotFound, ResourceNotFoundException, NoSuchEntity, NoSuchHostedZone… but not the bare "NotFound". */
function isNotFoundCode(name: string): boolean {
  return name.endsWith('.NotFound') || name.endsWith('NotFoundException') || /^[A-Z]\w+NotFound$/.test(name) || name.startsWith('NoSuch');
}

/** One class per error, decided by the service's error code; see ErrorClass. */
export function classifyAwsError(err: unknown): ErrorClass {
  // Made by cloud/aws-call-errors.ts for an AWS call that met a non-AWS answer or no listener
  // (after the SDK's own few retries). Raw socket errors from other clients (a new EKS endpoint
  // whose DNS name is not resolvable yet) stay transient below.
  if (isPlatformdError(err, ErrorCodes.AWS_ENDPOINT)) return 'endpoint';
  const name = errorName(err);
  const status = httpStatus(err);
  const code = (err as { code?: unknown })?.code;
  // Checked before status: the SDK's made-up names come with whatever status the page had.
  if (NO_AWS_CODE.has(name) && status !== undefined) return 'endpoint';
  if (THROTTLING.has(name) || status === 429) return 'throttled';
  if (isNotFoundCode(name)) return 'notFound';
  if (isBusy(name, err instanceof Error ? err.message : '')) return 'busy';
  if (AUTH.has(name)) return 'auth';
  if (CONFLICT.has(name) || status === 409) return 'conflict';
  if (TRANSIENT.has(name) || (typeof code === 'string' && TRANSIENT.has(code))
    || (status !== undefined && [500, 502, 503, 504].includes(status))) {
    return 'transient';
  }
  return 'terminal';
}

export function isNotFound(err: unknown): boolean {
  return classifyAwsError(err) === 'notFound';
}
