// The registry as Prometheus sees it: Node's process metrics under their standard names, API call
// latency by service and operation, condition series pre-initialised, and `promtool check metrics`
// clean (prom-client's three *_total gauges removed).
import t from 'tap';
import { execFileSync } from 'node:child_process';
import { createMetrics } from '../../../src/metrics.js';
import { recordApiCall } from '../../../src/cloud/api-calls.js';

t.test('default process metrics, API latency histogram, promtool clean', async (t) => {
  const metrics = createMetrics('test', 'apply');
  t.teardown(() => metrics.close());
  recordApiCall({ service: 'eks', operation: 'DescribeCluster', outcome: 'success', durationMs: 30 });
  const text = await metrics.registry.metrics();
  t.match(text, /^process_resident_memory_bytes \d/m);
  t.match(text, /^process_start_time_seconds \d/m);
  t.match(text, /^nodejs_eventloop_lag_seconds /m);
  t.match(text, 'platformd_api_call_duration_seconds_bucket{le="0.05",service="eks",operation="DescribeCluster"} 1');
  t.match(text, 'platformd_api_call_duration_seconds_count{service="eks",operation="DescribeCluster"} 1');
  t.notMatch(text, /^nodejs_active_handles_total/m);
  t.doesNotThrow(() => execFileSync('promtool', ['check', 'metrics'], { input: text, stdio: ['pipe', 'pipe', 'pipe'] }));
});
