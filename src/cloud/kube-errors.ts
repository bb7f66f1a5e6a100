// Kubernetes API errors are classified once, here, by HTTP status and the Status object's reason
// (https://kubernetes.io/docs/reference/using-api/api-concepts/#http-status-codes), so kinds and
// retry never compare status numbers by hand. @kubernetes/client-node 1.x throws ApiException
// {code, body}; older clients and raw responses carry statusCode or response.statusCode.

/**
 * notFound: 404. alreadyExists: 409 with reason AlreadyExists (a create raced another).
 * conflict: any other 409, an optimistic-concurrency refusal that succeeds on a fresh try
 * (controller-runtime's RetryOnConflict). throttled: 429 (API priority and fairness).
 * transient: 500/502/503/504 or a dropped connection. unauthorized: 401 (the token expired or
 * was revoked). terminal: anything else (a 422 invalid object, a 403 denied request).
 */
export type KubeErrorClass = 'notFound' | 'alreadyExists' | 'conflict' | 'throttled' | 'transient' | 'unauthorized' | 'terminal';

/** Node's socket errors on a connection to the API server: a retry on a new connection may pass. */
const CONNECTION_ERRORS = new Set(['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT', 'EAI_AGAIN', 'UND_ERR_SOCKET']);

interface KubeErrorShape {
  code?: unknown;
  statusCode?: unknown;
  response?: { statusCode?: unknown };
  body?: unknown;
  cause?: unknown;
}

/** The HTTP status of a Kubernetes client error, in any of the client's shapes; undefined for anything else. */
export function kubeStatus(err: unknown): number | undefined {
  if (typeof err !== 'object' || err === null) return undefined;
  const e = err as KubeErrorShape;
  for (const candidate of [e.code, e.statusCode, e.response?.statusCode]) {
    if (typeof candidate === 'number' && candidate >= 100 && candidate < 600) return candidate;
  }
  return undefined;
}

/** The Status object's reason (AlreadyExists, Conflict, NotFound …) when the body carries one. */
export function kubeReason(err: unknown): string | undefined {
  const body = (err as KubeErrorShape | null)?.body;
  let status: unknown = body;
  if (typeof body === 'string') {
    try {
      status = JSON.parse(body);
    } catch {
      return undefined;
    }
  }
  const reason = (status as { reason?: unknown } | null)?.reason;
  return typeof reason === 'string' ? reason : undefined;
}

function connectionErrorCode(err: unknown): string | undefined {
  // fetch wraps the socket error: TypeError('fetch failed', { cause: { code: 'ECONNRESET' } }).
  for (let e: unknown = err, depth = 0; typeof e === 'object' && e !== null && depth < 3; e = (e as KubeErrorShape).cause, depth++) {
    const code = (e as KubeErrorShape).code;
    if (typeof code === 'string' && CONNECTION_ERRORS.has(code)) return code;
  }
  return undefined;
}

/** One class per Kubernetes API error; see KubeErrorClass. */
export function classifyKubeError(err: unknown): KubeErrorClass {
  const status = kubeStatus(err);
  if (status === undefined) return connectionErrorCode(err) ? 'transient' : 'terminal';
  if (status === 404) return 'notFound';
  if (status === 409) return kubeReason(err) === 'AlreadyExists' ? 'alreadyExists' : 'conflict';
  if (status === 429) return 'throttled';
  if (status === 401) return 'unauthorized';
  if ([500, 502, 503, 504].includes(status)) return 'transient';
  return 'terminal';
}

/** Whether this is a Kubernetes client error at all (it carries an HTTP status in the client's shape). */
export function isKubeApiError(err: unknown): boolean {
  return kubeStatus(err) !== undefined;
}

export function isKubeNotFound(err: unknown): boolean {
  return classifyKubeError(err) === 'notFound';
}

/** Worth another try as it is: throttling, a server fault or dropped connection, a 409 on stale state. */
export function isKubeRetryable(err: unknown): boolean {
  const c = classifyKubeError(err);
  return c === 'throttled' || c === 'transient' || c === 'conflict';
}
