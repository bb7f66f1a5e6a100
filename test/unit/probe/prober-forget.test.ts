// A service that leaves the spec while its probe fails: its series and its status entry go at once
// (so PlatformdProbeFailing resolves); the services that stay keep theirs.
import t from 'tap';
import { createMetrics } from '../../../src/metrics.js';
import { Prober } from '../../../src/probe/scheduler.js';
import type { ProbeTarget } from '../../../src/probe/targets.js';

const target = (service: string): ProbeTarget => ({
  // Nothing listens on port 1: every probe fails fast with UNAVAILABLE.
  service, address: '127.0.0.1:1', grpcService: 'helloworld.Greeter', method: 'SayHello', request: {}, intervalMs: 60_000, timeoutMs: 2_000, expectedCode: 0, redialEvery: 10,
});

t.test('removing a failing service deletes its probe series', async (t) => {
  const metrics = createMetrics('test', 'apply');
  const results = new Map<string, boolean>();
  const forgotten: string[] = [];
  let seen: () => void = () => {};
  const prober = new Prober({ metrics, onResult: (r) => { results.set(r.service, r.success); seen(); }, onForget: (s) => { forgotten.push(s); results.delete(s); } });
  t.teardown(() => { prober.stop(); metrics.close(); });
  // The prober's timers are unref'd by design (they must not hold a daemon open at shutdown):
  // hold the test's event loop open until both first results arrive, or Node may exit first.
  const keepAlive = setInterval(() => {}, 1_000);
  await new Promise<void>((resolve) => {
    seen = () => { if (results.size === 2) resolve(); };
    prober.setTargets([target('greeter'), target('route-guide')], 'protos');
  });
  clearInterval(keepAlive);
  const before = await metrics.registry.metrics();
  t.match(before, 'platformd_probe_success{service="greeter"} 0', 'greeter is failing');
  t.match(before, 'platformd_probes_total{service="greeter",result="failure"} 1');

  prober.setTargets([target('route-guide')], 'protos');
  const after = await metrics.registry.metrics();
  for (const name of ['platformd_probe_success', 'platformd_probe_duration_seconds', 'platformd_probe_grpc_status_code', 'platformd_probe_latency_seconds', 'platformd_probes_total']) {
    t.notMatch(after, new RegExp(`${name}\\w*\\{[^}]*service="greeter"`), `${name}: no greeter series`);
    t.match(after, new RegExp(`${name}\\w*\\{[^}]*service="route-guide"`), `${name}: route-guide kept`);
  }
  t.same(forgotten, ['greeter'], 'the status entry is dropped through onForget');
});
