// Every metric platformd exports, defined once (names follow Prometheus conventions: platformd_
// prefix, _total counters, _seconds durations). The daemon and prober record into them, API calls
// through src/cloud/api-calls.ts, and the engine's events through the subscriber in
// metrics-events.ts; label sets that are known up front are pre-initialised so series exist at 0.
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { onApiCall } from './cloud/api-calls.js';
import { currentCallContext } from './cloud/call-context.js';

/**
 * One platform of a fleet: every series carries `platform` (a registry default label), only that
 * platform's API calls are counted, and the process metrics are left to the fleet's own registry.
 */
export interface PlatformScope {
  platform: string;
}

export interface Metrics {
  registry: Registry;
  info: Gauge<'version' | 'mode'>;
  resourceDrift: Gauge<'kind' | 'id'>;
  driftedResources: Gauge<'kind'>;
  reconcileDuration: Histogram<'outcome'>;
  reconciles: Counter<'outcome'>;
  lastSuccess: Gauge;
  appliedCommit: Gauge<'commit' | 'branch'>;
  attemptedCommit: Gauge<'commit' | 'branch'>;
  reconcileCondition: Gauge<'type' | 'status'>;
  consecutiveFailures: Gauge;
  sourceFetches: Counter<'outcome'>;
  specValid: Gauge;
  reconcileInterval: Gauge;
  apiCalls: Counter<'service' | 'operation' | 'outcome'>;
  apiCallDuration: Histogram<'service' | 'operation'>;
  probeSuccess: Gauge<'service'>;
  probeDuration: Gauge<'service'>;
  probeStatusCode: Gauge<'service'>;
  probeLatency: Histogram<'service'>;
  probes: Counter<'service' | 'result'>;
  /** 1 while this replica holds the platform's Lease (leader election), else 0. */
  leader: Gauge<'platform'>;
  /** The next four are recorded from the engine's events (src/metrics-events.ts). */
  observeDuration: Histogram<'kind'>;
  changeDuration: Histogram<'action'>;
  changeFailures: Counter<'kind' | 'action'>;
  resourceRetries: Counter<'kind'>;
  /** Delete every series of a service that is no longer probed. */
  forgetProbedService(service: string): void;
  /** Stop recording API calls (tests, shutdown). */
  close(): void;
}

const RECONCILE_OUTCOMES = ['success', 'failure', 'invalid_spec', 'blocked', 'drifted'] as const;
/** The `action` label values of change metrics (the verbs of the plan's action symbols). */
const CHANGE_ACTIONS = ['create', 'update', 'delete', 'replace'] as const;

/** A fresh registry with every platformd metric; API calls are recorded from src/cloud/api-calls.ts. */
export function createMetrics(version: string, mode: string, scope?: PlatformScope): Metrics {
  const registry = new Registry();
  if (scope) registry.setDefaultLabels({ platform: scope.platform });
  const m = {
    registry,
    info: new Gauge({ name: 'platformd_info', help: 'platformd build and mode; always 1.', labelNames: ['version', 'mode'] as const, registers: [registry] }),
    resourceDrift: new Gauge({ name: 'platformd_resource_drift', help: '1 when a resource differs from the spec at HEAD (or is missing), else 0.', labelNames: ['kind', 'id'] as const, registers: [registry] }),
    driftedResources: new Gauge({ name: 'platformd_drifted_resources', help: 'Resources that differ from the spec, by kind.', labelNames: ['kind'] as const, registers: [registry] }),
    reconcileDuration: new Histogram({ name: 'platformd_reconcile_duration_seconds', help: 'Duration of reconciles, by outcome.', labelNames: ['outcome'] as const,
      buckets: [0.1, 0.5, 1, 5, 15, 60, 300, 900, 1800, 3600], registers: [registry] }),
    reconciles: new Counter({ name: 'platformd_reconciles_total', help: 'Reconciles (runs that planned, or failed trying; not no-op polls) by outcome: success (converged), failure, invalid_spec, blocked, drifted.', labelNames: ['outcome'] as const, registers: [registry] }),
    lastSuccess: new Gauge({ name: 'platformd_last_successful_reconcile_timestamp_seconds', help: 'Unix time of the last reconcile that confirmed live state converged with the spec at HEAD.', registers: [registry] }),
    appliedCommit: new Gauge({ name: 'platformd_applied_commit_info', help: 'The commit last applied and confirmed converged (status lastAppliedRevision); always 1.', labelNames: ['commit', 'branch'] as const, registers: [registry] }),
    attemptedCommit: new Gauge({ name: 'platformd_attempted_commit_info', help: 'The commit the last reconcile worked on, valid or not (status lastAttemptedRevision); always 1.', labelNames: ['commit', 'branch'] as const, registers: [registry] }),
    reconcileCondition: new Gauge({ name: 'platformd_reconcile_condition', help: 'Reconcile conditions (Ready, Reconciling, Stalled): 1 for the current status (True, False, Unknown), else 0.', labelNames: ['type', 'status'] as const, registers: [registry] }),
    consecutiveFailures: new Gauge({ name: 'platformd_reconcile_consecutive_failures', help: 'Reconciles that failed in a row since the last one that did not; 0 after a success.', registers: [registry] }),
    sourceFetches: new Counter({ name: 'platformd_source_fetches_total', help: 'Fetches of the git source (each poll, webhook and reconcile) by outcome (success, failure).', labelNames: ['outcome'] as const, registers: [registry] }),
    specValid: new Gauge({ name: 'platformd_spec_valid', help: '1 when the spec at HEAD is valid, 0 when it is not (the last good spec stays in force).', registers: [registry] }),
    reconcileInterval: new Gauge({ name: 'platformd_reconcile_interval_seconds', help: 'The resync interval: a reconcile is due at least this often.', registers: [registry] }),
    apiCalls: new Counter({ name: 'platformd_api_calls_total', help: 'AWS and Kubernetes API calls (each attempt) by service, operation and outcome.', labelNames: ['service', 'operation', 'outcome'] as const, registers: [registry] }),
    apiCallDuration: new Histogram({ name: 'platformd_api_call_duration_seconds', help: 'Latency of AWS and Kubernetes API calls (each attempt) by service and operation.', labelNames: ['service', 'operation'] as const,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30], registers: [registry] }),
    probeSuccess: new Gauge({ name: 'platformd_probe_success', help: 'Whether the last gRPC probe of a service succeeded (1) or not (0).', labelNames: ['service'] as const, registers: [registry] }),
    probeDuration: new Gauge({ name: 'platformd_probe_duration_seconds', help: 'How long the last gRPC probe of a service took.', labelNames: ['service'] as const, registers: [registry] }),
    probeStatusCode: new Gauge({ name: 'platformd_probe_grpc_status_code', help: 'The gRPC status code of the last probe of a service.', labelNames: ['service'] as const, registers: [registry] }),
    probeLatency: new Histogram({ name: 'platformd_probe_latency_seconds', help: 'Latency of gRPC probes by service.', labelNames: ['service'] as const,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5], registers: [registry] }),
    probes: new Counter({ name: 'platformd_probes_total', help: 'gRPC probes by service and result (success, failure).', labelNames: ['service', 'result'] as const, registers: [registry] }),
    leader: new Gauge({ name: 'platformd_leader', help: 'Whether this replica leads the platform (holds its Lease and may change it): 1, or 0 while another replica does.', labelNames: ['platform'] as const, registers: [registry] }),
    observeDuration: new Histogram({ name: 'platformd_observe_duration_seconds', help: 'How long reading every live object of one resource kind took (one batched read, retries included), by kind.', labelNames: ['kind'] as const,
      buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 15, 60], registers: [registry] }),
    changeDuration: new Histogram({ name: 'platformd_change_duration_seconds', help: 'How long an applied change took until the resource was ready (or gone), by action (create, update, delete, replace).', labelNames: ['action'] as const,
      buckets: [0.5, 1, 5, 15, 30, 60, 120, 300, 600, 1200, 1800, 3600], registers: [registry] }),
    changeFailures: new Counter({ name: 'platformd_change_failures_total', help: 'Changes that failed while applying (their dependents are skipped), by resource kind and action.', labelNames: ['kind', 'action'] as const, registers: [registry] }),
    resourceRetries: new Counter({ name: 'platformd_resource_retries_total', help: 'Engine calls to AWS or Kubernetes retried after a throttled, transient or conflicting answer, by resource kind.', labelNames: ['kind'] as const, registers: [registry] }),
  };
  m.info.labels(version, mode).set(1);
  for (const outcome of RECONCILE_OUTCOMES) {
    m.reconciles.labels(outcome).inc(0);
  }
  for (const outcome of ['success', 'failure']) m.sourceFetches.labels(outcome).inc(0);
  for (const action of CHANGE_ACTIONS) m.changeDuration.zero({ action });
  m.specValid.set(1);
  m.consecutiveFailures.set(0);
  // Node's process and runtime metrics under their standard names (process_*, nodejs_*), as every
  // Prometheus client library exports them, so stock dashboards and alerts work unchanged.
  if (!scope) collectDefaultMetrics({ register: registry });
  // Except three gauges prom-client names like counters, which `promtool check metrics` refuses;
  // the same counts stay as nodejs_active_handles, nodejs_active_requests, nodejs_active_resources.
  for (const misnamed of ['nodejs_active_handles_total', 'nodejs_active_requests_total', 'nodejs_active_resources_total']) registry.removeSingleMetric(misnamed);
  const stop = onApiCall((call) => {
    if (scope && currentCallContext().platform !== scope.platform) return;
    m.apiCalls.labels(call.service, call.operation, call.outcome).inc();
    m.apiCallDuration.labels(call.service, call.operation).observe(call.durationMs / 1000);
  });
  const forgetProbedService = (service: string) => {
    for (const g of [m.probeSuccess, m.probeDuration, m.probeStatusCode, m.probeLatency]) g.remove(service);
    for (const result of ['success', 'failure']) m.probes.remove(service, result);
  };
  return { ...m, forgetProbedService, close: () => { stop(); } };
}
