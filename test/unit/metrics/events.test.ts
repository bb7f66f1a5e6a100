// The metrics subscriber: a sequence of engine events becomes the series an operator reads —
// observe durations by kind, change durations by action, failures by kind and action, retries by
// resource kind (a change's kind from the plan, a read's from the engine's `observe <kind>` id) —
// and the series that existed before the events are untouched.
import t from 'tap';
import { createMetrics } from '../../../src/metrics.js';
import { metricsSubscriber } from '../../../src/metrics-events.js';
import { fanOut, type ApplyEvent } from '../../../src/apply/events.js';

const KINDS = new Map([['eks/cluster', 'eks/cluster'], ['kube/Deployment/default/route-guide', 'kube/Deployment']]);

const EVENTS: ApplyEvent[] = [
  { type: 'observe-begin', kinds: 2 },
  { type: 'observe-start', kind: 'network/vpc' },
  { type: 'retry', id: 'observe network/vpc', attempt: 1, delayMs: 200, error: 'ec2:DescribeVpcs: RequestLimitExceeded' },
  { type: 'observe-done', kind: 'network/vpc', count: 1, durationMs: 40 },
  { type: 'observe-done', kind: 'eks/cluster', count: 1, durationMs: 3_000 },
  { type: 'change-start', id: 'eks/cluster', action: '+' },
  { type: 'progress', id: 'eks/cluster', message: 'still creating… [10s] (EKS cluster CREATING)', elapsedMs: 10_000 },
  { type: 'retry', id: 'eks/cluster', attempt: 1, delayMs: 400, error: 'refresh: eks:DescribeCluster: ThrottlingException' },
  { type: 'retry', id: 'eks/cluster', attempt: 2, delayMs: 800, error: 'refresh: eks:DescribeCluster: ThrottlingException' },
  { type: 'change-done', id: 'eks/cluster', action: '+', durationMs: 20_000 },
  { type: 'change-start', id: 'kube/Deployment/default/route-guide', action: '~' },
  { type: 'change-failed', id: 'kube/Deployment/default/route-guide', action: '~', error: 'Forbidden' },
  { type: 'change-skipped', id: 'edge/record/grpc.example.com/A', because: 'kube/Deployment/default/route-guide failed' },
];

t.test('a plan and apply\'s events become observe, change, failure and retry series', async (t) => {
  const metrics = createMetrics('test', 'apply');
  t.teardown(() => metrics.close());
  const onEvent = metricsSubscriber(metrics, (id) => KINDS.get(id));
  for (const e of EVENTS) onEvent(e);
  const text = (name: string) => metrics.registry.getSingleMetricAsString(name);

  t.match(await text('platformd_observe_duration_seconds'), 'platformd_observe_duration_seconds_count{kind="network/vpc"} 1');
  t.match(await text('platformd_observe_duration_seconds'), 'platformd_observe_duration_seconds_bucket{le="5",kind="eks/cluster"} 1', 'a 3 s read falls in the 5 s bucket');
  t.match(await text('platformd_observe_duration_seconds'), 'platformd_observe_duration_seconds_bucket{le="2.5",kind="eks/cluster"} 0');

  const durations = await text('platformd_change_duration_seconds');
  t.match(durations, 'platformd_change_duration_seconds_sum{action="create"} 20', 'the create took 20 s, labelled by verb');
  t.match(durations, 'platformd_change_duration_seconds_count{action="create"} 1');
  t.match(durations, 'platformd_change_duration_seconds_count{action="update"} 0', 'a failed update is no duration; the label set exists at 0');
  t.match(durations, 'platformd_change_duration_seconds_count{action="delete"} 0');

  t.match(await text('platformd_change_failures_total'), 'platformd_change_failures_total{kind="kube/Deployment",action="update"} 1');

  const retries = await text('platformd_resource_retries_total');
  t.match(retries, 'platformd_resource_retries_total{kind="eks/cluster"} 2', 'retries of a change count under its kind');
  t.match(retries, 'platformd_resource_retries_total{kind="network/vpc"} 1', 'retries while reading count under the kind read');

  t.match(await text('platformd_reconciles_total'), 'platformd_reconciles_total{outcome="success"} 0', 'existing series keep their meaning: events are not reconciles');
});

t.test('a retry of an id the plan does not know counts as kind unknown', async (t) => {
  const metrics = createMetrics('test', 'apply');
  t.teardown(() => metrics.close());
  metricsSubscriber(metrics)({ type: 'retry', id: 'network/vpc', attempt: 1, delayMs: 1, error: 'x' });
  t.match(await metrics.registry.getSingleMetricAsString('platformd_resource_retries_total'), 'platformd_resource_retries_total{kind="unknown"} 1');
});

t.test('fanOut hands every event to each subscriber in order', async (t) => {
  const seen: string[] = [];
  const onEvent = fanOut((e) => seen.push(`a:${e.type}`), undefined, (e) => seen.push(`b:${e.type}`));
  onEvent({ type: 'observe-begin', kinds: 1 });
  onEvent({ type: 'change-skipped', id: 'x', because: 'y' });
  t.same(seen, ['a:observe-begin', 'b:observe-begin', 'a:change-skipped', 'b:change-skipped']);
});
