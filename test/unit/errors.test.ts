// Terminal errors: what retrying cannot fix is recognised wherever it sits in a cause chain, and
// withRetry hands it up on the first attempt.
import t from 'tap';
import { ErrorCodes, PlatformdError, isTerminalError } from '../../src/errors.js';
import { topoOrder } from '../../src/graph/order.js';
import { shouldRetry, withRetry } from '../../src/apply/retry.js';
import { changeFailure } from '../../src/apply/apply-plan.js';

function cycleError(): Error {
  try {
    topoOrder(['a', 'b'], new Map([['a', new Set(['b'])], ['b', new Set(['a'])]]));
  } catch (err) {
    return err as Error;
  }
  throw new Error('no cycle reported');
}

/** The error buildDesiredGraph throws for a dependency on an id no layer produces. */
const unknownDependency = new PlatformdError(ErrorCodes.GRAPH_UNKNOWN_DEPENDENCY, 'eks/cluster depends on unknown resource network/vpc-typo');

t.test('which errors are terminal', async (t) => {
  const cases: { reason: string; err: unknown; terminal: boolean }[] = [
    { reason: 'a dependency cycle cannot be fixed by retrying', err: cycleError(), terminal: true },
    { reason: 'a dependency on an unknown resource cannot either', err: unknownDependency, terminal: true },
    { reason: 'an unregistered kind is terminal by its code', err: new PlatformdError(ErrorCodes.KIND_UNKNOWN, 'bad'), terminal: true },
    { reason: 'a thrower may say terminal for any code', err: new PlatformdError(ErrorCodes.APPLY_FAILED, 'x', { terminal: true }), terminal: true },
    { reason: 'a wait timeout is not terminal', err: new PlatformdError(ErrorCodes.WAIT_TIMEOUT, 'gave up'), terminal: false },
    { reason: 'a plain error is not terminal', err: new Error('boom'), terminal: false },
    { reason: 'a terminal cause makes its wrapper terminal', err: new Error('outer', { cause: cycleError() }), terminal: true },
    { reason: 'a change failure wrapping a cycle stays terminal', err: changeFailure({ id: 'network/vpc', action: '+' }, cycleError()), terminal: true },
    { reason: 'non-errors are not terminal', err: 'cycle', terminal: false },
  ];
  for (const c of cases) t.equal(isTerminalError(c.err), c.terminal, c.reason);
});

t.test('withRetry never retries a terminal error, even one that asks to be retried', async (t) => {
  const terminal: Error[] = [cycleError(), unknownDependency, Object.assign(new PlatformdError(ErrorCodes.GRAPH_CYCLE, 'cycle'), { retryable: true })];
  for (const err of terminal) {
    t.notOk(shouldRetry(err, true), `${err.message}: not retried`);
    let calls = 0;
    await t.rejects(withRetry(async () => { calls++; throw err; }, { baseDelayMs: 1, deadlineMs: 60_000 }), err);
    t.equal(calls, 1, 'one attempt only');
  }
});
