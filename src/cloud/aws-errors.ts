// AWS errors are classified once, here, by the SDK error's name and HTTP status, so retry
// and kinds never compare raw strings elsewhere.

export type ErrorClass = 'throttled' | 'transient' | 'notFound' | 'conflict' | 'terminal';

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
const CONFLICT = new Set([
  'DependencyViolation', 'ResourceInUseException', 'DeleteConflictException',
  'InvalidIPAddress.InUse', 'ResourceInUse', 'ResourceInUseException', 'HostedZoneNotEmpty',
  'IncorrectState', 'InvalidStateException',
]);

export function errorName(err: unknown): string {
  if (typeof err !== 'object' || err === null) return String(err);
  // The SDK's `name` is the modeled shape name (NoSuchEntityException) or, for unmodeled codes,
  // the wire code itself (Throttling, InvalidVpcID.NotFound); `Code` is the raw wire code.
  const e = err as { name?: string; Code?: string; code?: string };
  if (e.name && e.name !== 'Error') return e.name;
  return e.Code ?? e.code ?? 'Error';
}

export function httpStatus(err: unknown): number | undefined {
  return (err as { $metadata?: { httpStatusCode?: number } })?.$metadata?.httpStatusCode;
}

/** Throttled and transient errors are retried with backoff; the rest are handed up. */
export function classifyAwsError(err: unknown): ErrorClass {
  const name = errorName(err);
  const status = httpStatus(err);
  if (THROTTLING.has(name) || status === 429) return 'throttled';
  if (name.endsWith('NotFound') || name.endsWith('NotFoundException') || name === 'NoSuchEntityException'
    || name === 'NoSuchEntity' || name === 'NoSuchHostedZone' || name === 'NatGatewayNotFound' || status === 404) {
    return 'notFound';
  }
  if (CONFLICT.has(name) || status === 409) return 'conflict';
  const code = (err as { code?: string })?.code;
  if (TRANSIENT.has(name) || (code !== undefined && TRANSIENT.has(code))
    || (status !== undefined && [500, 502, 503, 504].includes(status))) {
    return 'transient';
  }
  return 'terminal';
}

export function isNotFound(err: unknown): boolean {
  return classifyAwsError(err) === 'notFound';
}

export function isRetryable(err: unknown): boolean {
  const c = classifyAwsError(err);
  return c === 'throttled' || c === 'transient';
}
