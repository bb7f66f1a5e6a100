// Per-platform metrics of a fleet: every series labelled platform=KEY, each platform counting only
// the API calls made in its own call context, and one exposition joining the process registry
// with every platform's without repeating a family.
import t from 'tap';
import { createMetrics } from '../../../src/metrics.js';
import { recordApiCall } from '../../../src/cloud/api-calls.js';
import { withCallContext } from '../../../src/cloud/call-context.js';
import { FleetRegistry, dropProcessFamilies, keepProcessFamilies } from '../../../src/fleet/fleet-http.js';

t.test('platform-scoped metrics', async (t) => {
  const processWide = createMetrics('1.0.0', 'apply');
  const a = createMetrics('1.0.0', 'apply', { platform: 'team-a' });
  const b = createMetrics('1.0.0', 'apply', { platform: 'team-b' });
  t.teardown(() => { processWide.close(); a.close(); b.close(); });
  keepProcessFamilies(processWide.registry);
  for (const m of [a, b]) dropProcessFamilies(m.registry);
  withCallContext({ platform: 'team-a' }, () => recordApiCall({ service: 'ec2', operation: 'CreateVpc', outcome: 'success', durationMs: 3 }));
  t.equal((await a.apiCalls.get()).values.find((v) => v.labels.operation === 'CreateVpc')?.value, 1, 'team-a counts its own call');
  t.notOk((await b.apiCalls.get()).values.some((v) => v.labels.operation === 'CreateVpc'), 'team-b does not count the call of team-a');
  t.notOk((await a.registry.metrics()).includes('process_cpu'), 'process metrics are not repeated per platform');
  a.reconciles.labels('success').inc();
  const text = await new FleetRegistry(processWide.registry, () => [a.registry, b.registry]).metrics();
  t.match(text, /platformd_reconciles_total\{outcome="success",platform="team-a"\} 1/, 'labelled by platform');
  t.match(text, /platformd_reconciles_total\{outcome="success",platform="team-b"\} 0/);
  t.equal((text.match(/^# TYPE platformd_reconciles_total /gm) ?? []).length, 1, 'one family for every platform');
  t.equal((text.match(/^# TYPE process_cpu_seconds_total /gm) ?? []).length, 1, 'process metrics once');
});
