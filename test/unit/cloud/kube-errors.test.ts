import t from 'tap';
import { classifyKubeError, isKubeApiError, isKubeNotFound, isKubeRetryable, kubeReason, kubeStatus, type KubeErrorClass } from '../../../src/cloud/kube-errors.js';

/** An error shaped as @kubernetes/client-node 1.x throws it: ApiException {code, body}. */
function apiException(code: number, body?: unknown): Error {
  return Object.assign(new Error(`HTTP-Code: ${code}`), { code, body });
}
const status = (reason: string, code: number) => ({ kind: 'Status', apiVersion: 'v1', status: 'Failure', reason, code });

t.test('classifies by HTTP status and the Status reason', async (t) => {
  const cases: { reason: string; err: unknown; want: KubeErrorClass }[] = [
    { reason: 'a 404 is not found', err: apiException(404, status('NotFound', 404)), want: 'notFound' },
    { reason: 'a 409 AlreadyExists is a create that raced another', err: apiException(409, status('AlreadyExists', 409)), want: 'alreadyExists' },
    { reason: 'the body may arrive as a JSON string', err: apiException(409, JSON.stringify(status('AlreadyExists', 409))), want: 'alreadyExists' },
    { reason: 'a 409 Conflict is stale state', err: apiException(409, status('Conflict', 409)), want: 'conflict' },
    { reason: 'a 409 with no body is a conflict', err: apiException(409), want: 'conflict' },
    { reason: 'a 429 is throttling (API priority and fairness)', err: apiException(429), want: 'throttled' },
    { reason: 'a 500 is transient', err: apiException(500), want: 'transient' },
    { reason: 'a 503 is transient', err: apiException(503), want: 'transient' },
    { reason: 'a 504 is transient', err: apiException(504), want: 'transient' },
    { reason: 'a 401 is an expired or revoked token', err: apiException(401), want: 'unauthorized' },
    { reason: 'a 422 (invalid object) is terminal', err: apiException(422, status('Invalid', 422)), want: 'terminal' },
    { reason: 'a 403 (forbidden) is terminal', err: apiException(403, status('Forbidden', 403)), want: 'terminal' },
    { reason: 'an older client\'s statusCode is read too', err: Object.assign(new Error('x'), { statusCode: 404 }), want: 'notFound' },
    { reason: 'a raw response\'s statusCode is read too', err: Object.assign(new Error('x'), { response: { statusCode: 429 } }), want: 'throttled' },
    { reason: 'a reset connection wrapped by fetch is transient', err: new TypeError('fetch failed', { cause: Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }) }), want: 'transient' },
    { reason: 'a plain error is terminal', err: new Error('boom'), want: 'terminal' },
    { reason: 'a string code (an AWS or Node error) is no HTTP status', err: Object.assign(new Error('x'), { code: 'EEXIST' }), want: 'terminal' },
    { reason: 'a non-object is terminal', err: 'boom', want: 'terminal' },
  ];
  for (const c of cases) t.equal(classifyKubeError(c.err), c.want, c.reason);
});

t.test('helpers agree with the classes', async (t) => {
  t.equal(kubeStatus(apiException(404)), 404, 'status of an ApiException');
  t.equal(kubeStatus(Object.assign(new Error('x'), { $metadata: { httpStatusCode: 404 } })), undefined, 'an AWS SDK error is not a Kubernetes one');
  t.equal(kubeReason(apiException(409, '<html>')), undefined, 'a body that is not JSON has no reason');
  t.ok(isKubeApiError(apiException(500)), 'an ApiException is a Kubernetes API error');
  t.notOk(isKubeApiError(new Error('x')), 'a plain error is not');
  t.ok(isKubeNotFound(apiException(404)), '404 is not found');
  t.notOk(isKubeNotFound(apiException(410)), '410 (Gone: an expired list continue token) is not "not found"');
  t.ok(isKubeRetryable(apiException(409, status('Conflict', 409))), 'conflicts are retried');
  t.notOk(isKubeRetryable(apiException(409, status('AlreadyExists', 409))), 'already-exists is not retried as it is');
  t.notOk(isKubeRetryable(apiException(401)), 'an unauthorised call is not retried');
});
