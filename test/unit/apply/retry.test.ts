import t from 'tap';
import { backoffDelay, shouldRetry, withRetry } from '../../../src/apply/retry.js';

function awsError(name: string, status?: number): Error {
  return Object.assign(new Error(name), { name, $metadata: { httpStatusCode: status } });
}

t.test('classifies what is retried', async (t) => {
  const cases: [string, unknown, boolean, boolean][] = [
    ['EC2 throttling is retried', awsError('RequestLimitExceeded', 503), false, true],
    ['IAM throttling is retried', awsError('Throttling', 400), false, true],
    ['a 5xx is transient and retried', awsError('InternalError', 500), false, true],
    ['DependencyViolation is retried only when riding out deletes', awsError('DependencyViolation', 400), false, false],
    ['DependencyViolation is retried when conflicts are', awsError('DependencyViolation', 400), true, true],
    ['a validation error is terminal', awsError('InvalidParameterValue', 400), true, false],
    ['an EKS cluster busy with an update is retried (classified, not marked by the kind)', Object.assign(awsError('ResourceInUseException', 409), { message: 'Cluster has status UPDATING. Resource demo is in use.' }), false, true],
    ['a retryable property on an error no longer decides anything', Object.assign(new Error('busy'), { retryable: true }), false, false],
    ['a Kubernetes 409 (stale state) is retried', Object.assign(new Error('HTTP-Code: 409'), { code: 409, body: { reason: 'Conflict' } }), false, true],
    ['a Kubernetes 429 is retried', Object.assign(new Error('HTTP-Code: 429'), { code: 429 }), false, true],
    ['a Kubernetes 422 (invalid object) is not', Object.assign(new Error('HTTP-Code: 422'), { code: 422 }), true, false],
    ['a Kubernetes 401 (after the token refresh) is not', Object.assign(new Error('HTTP-Code: 401'), { code: 401 }), true, false],
  ];
  for (const [reason, err, conflicts, expected] of cases) t.equal(shouldRetry(err, conflicts), expected, reason);
});

t.test('backoff is full jitter, capped', async (t) => {
  t.equal(backoffDelay(0, 100, 1000, () => 1), 100);
  t.equal(backoffDelay(10, 100, 1000, () => 1), 1000);
  t.equal(backoffDelay(3, 100, 1000, () => 0.5), 400);
});

t.test('retries throttling until success and reports each retry', async (t) => {
  let calls = 0;
  const retries: number[] = [];
  const value = await withRetry(async () => {
    if (++calls < 4) throw awsError('Throttling', 400);
    return 'done';
  }, { baseDelayMs: 1, maxDelayMs: 2, onRetry: (n) => retries.push(n) });
  t.equal(value, 'done');
  t.same(retries, [1, 2, 3]);
});

t.test('hands a terminal error up at once', async (t) => {
  let calls = 0;
  await t.rejects(withRetry(async () => {
    calls++;
    throw awsError('InvalidParameterValue', 400);
  }, { baseDelayMs: 1 }), { name: 'InvalidParameterValue' });
  t.equal(calls, 1);
});

t.test('gives up at the deadline', async (t) => {
  await t.rejects(withRetry(async () => {
    throw awsError('Throttling', 400);
  }, { baseDelayMs: 20, deadlineMs: 50 }), { name: 'Throttling' });
});
