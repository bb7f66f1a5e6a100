// With a third of all calls throttled, apply still converges.
import t from 'tap';
import { startTestSandbox } from '../helpers/sandbox.js';
import { referenceSpec } from '../helpers/specs.js';
import { applyPlatform, planPlatform } from '../../src/engine.js';

t.test('apply converges while a third of the calls are throttled', async (t) => {
  const sb = await startTestSandbox();
  t.teardown(sb.close);
  const opts = { spec: await referenceSpec(), aws: sb.clients, layers: ['network' as const] };
  sb.aws.faults.add({ kind: 'throttle', fraction: 1 / 3 });
  const result = await applyPlatform(opts);
  t.ok(result.ok, JSON.stringify(result.failed));
  const throttled = sb.aws.callLog.all().filter((c) => c.errorCode === 'RequestLimitExceeded').length;
  t.ok(throttled > 5, `calls were throttled (${throttled})`);
  sb.aws.faults.clear();
  t.same((await planPlatform(opts)).plan.changes, []);
});
