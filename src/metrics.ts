// Every metric platformd exports, defined once (names follow Prometheus conventions: platformd_
// prefix, _total counters, _seconds durations). The engine, daemon and prober record through
// these helpers; label sets that are known up front are pre-initialised so series exist at 0.
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import { onApiCall } from './cloud/api-calls.js';

export interface Metrics {
  registry: Registry;
  info: Gauge<'version' | 'mode'>;
  resourceDrift: Gauge<'kind' | 'id'>;
  driftedResources: Gauge<'kind'>;
  reconcileDuration: Histogram<'outcome'>;
  reconciles: Counter<'outcome'>;
  lastSuccess: Gauge;
  appliedCommit: Gauge<'commit' | 'branch'>;
  specValid: Gauge;
  reconcileInterval: Gauge;
  apiCalls: Counter<'service' | 'operation' | 'outcome'>;
  probeSuccess: Gauge<'service'>;
  probeDuration: Gauge<'service'>;
  probeStatusCode: Gauge<'service'>;
  probeLatency: Histogram<'service'>;
  probes: Counter<'service' | 'result'>;
  /** Stop recording API calls (tests, shutdown). */
  close(): void;
}

export const RECONCILE_OUTCOMES = ['success', 'failure', 'invalid_spec'] as const;

/** A fresh registry with every platformd metric; API calls are recorded from src/cloud/api-calls.ts. */
export function createMetrics(version: string, mode: string): Metrics {
  const registry = new Registry();
  const m = {
    registry,
    info: new Gauge({ name: 'platformd_info', help: 'platformd build and mode; always 1.', labelNames: ['version', 'mode'] as const, registers: [registry] }),
    resourceDrift: new Gauge({ name: 'platformd_resource_drift', help: '1 when a resource differs from the spec at HEAD (or is missing), else 0.', labelNames: ['kind', 'id'] as const, registers: [registry] }),
    driftedResources: new Gauge({ name: 'platformd_drifted_resources', help: 'Resources that differ from the spec, by kind.', labelNames: ['kind'] as const, registers: [registry] }),
    reconcileDuration: new Histogram({ name: 'platformd_reconcile_duration_seconds', help: 'Duration of reconciles, by outcome.', labelNames: ['outcome'] as const,
      buckets: [0.1, 0.5, 1, 5, 15, 60, 300, 900, 1800, 3600], registers: [registry] }),
    reconciles: new Counter({ name: 'platformd_reconciles_total', help: 'Reconciles by outcome (success, failure, invalid_spec).', labelNames: ['outcome'] as const, registers: [registry] }),
    lastSuccess: new Gauge({ name: 'platformd_last_successful_reconcile_timestamp_seconds', help: 'Unix time of the last successful reconcile.', registers: [registry] }),
    appliedCommit: new Gauge({ name: 'platformd_applied_commit_info', help: 'The commit whose spec is in force; always 1.', labelNames: ['commit', 'branch'] as const, registers: [registry] }),
    specValid: new Gauge({ name: 'platformd_spec_valid', help: '1 when the spec at HEAD is valid, 0 when it is not (the last good spec stays in force).', registers: [registry] }),
    reconcileInterval: new Gauge({ name: 'platformd_reconcile_interval_seconds', help: 'The resync interval: a reconcile is due at least this often.', registers: [registry] }),
    apiCalls: new Counter({ name: 'platformd_api_calls_total', help: 'AWS and Kubernetes API calls (each attempt) by service, operation and outcome.', labelNames: ['service', 'operation', 'outcome'] as const, registers: [registry] }),
    probeSuccess: new Gauge({ name: 'platformd_probe_success', help: 'Whether the last gRPC probe of a service succeeded (1) or not (0).', labelNames: ['service'] as const, registers: [registry] }),
    probeDuration: new Gauge({ name: 'platformd_probe_duration_seconds', help: 'How long the last gRPC probe of a service took.', labelNames: ['service'] as const, registers: [registry] }),
    probeStatusCode: new Gauge({ name: 'platformd_probe_grpc_status_code', help: 'The gRPC status code of the last probe of a service.', labelNames: ['service'] as const, registers: [registry] }),
    probeLatency: new Histogram({ name: 'platformd_probe_latency_seconds', help: 'Latency of gRPC probes by service.', labelNames: ['service'] as const,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5], registers: [registry] }),
    probes: new Counter({ name: 'platformd_probes_total', help: 'gRPC probes by service and result (success, failure).', labelNames: ['service', 'result'] as const, registers: [registry] }),
  };
  m.info.labels(version, mode).set(1);
  for (const outcome of RECONCILE_OUTCOMES) {
    m.reconciles.labels(outcome).inc(0);
  }
  m.specValid.set(1);
  const stop = onApiCall((call) => m.apiCalls.labels(call.service, call.operation, call.outcome).inc());
  return { ...m, close: stop };
}
