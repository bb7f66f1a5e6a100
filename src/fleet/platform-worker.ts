// One platform of a fleet at work on this replica: its own Daemon (backoff, last good spec,
// history) and Prober, recording into the platform's own metrics. Everything it starts runs in
// the platform's call context, so its AWS calls carry the platform and replica (call-context.ts)
// and count in its metrics only.
import { awsClients } from '../cloud/aws.js';
import { clusterAccessFor } from '../cloud/cluster-access.js';
import { withCallContext } from '../cloud/call-context.js';
import { applyPlatform, planPlatform, type PlanResult } from '../engine.js';
import { Daemon, type Trigger } from '../daemon.js';
import type { Metrics } from '../metrics.js';
import { Prober } from '../probe/scheduler.js';
import { albDnsNamesOf } from '../probe/targets.js';
import type { ProbeStatus } from '../daemon-status.js';
import type { LayerName } from '../resources/registry.js';
import type { ResolvedSpec } from '../platform-spec/resolved.js';
import { platformRegion } from '../cloud/region.js';
import type { Revision } from '../source/git.js';
import type { Logger } from '../log/logger.js';
import type { Semaphore } from '../semaphore.js';

export interface WorkerSettings {
  mode: 'apply' | 'detect';
  branch: string;
  pollIntervalMs: number;
  resyncIntervalMs: number;
  backoffMs: number;
  maxBackoffMs: number;
  layers?: LayerName[];
  dnsServer?: string;
  caFile?: string;
  probePort: number;
  /** Applies across all platforms of this process at once (the others wait their turn). */
  applies: Semaphore;
  logger: Logger;
  replica: string;
}

export interface PlatformWorker {
  readonly daemon: Daemon;
  probes(): ProbeStatus[];
  /** Plan the spec in force with this platform's clients, in its call context (GET /plan/<platform>). */
  plan(spec: ResolvedSpec, protosDir: string, signal?: AbortSignal): Promise<PlanResult>;
  trigger(kind: Trigger): void;
  /** Stop probing and reconciling; resolves once nothing of this platform runs any more. */
  stop(): Promise<void>;
}

/** Start reconciling and probing one platform. `fence` guards every mutation; `lost` aborts an apply at once. */
export function startWorker(options: { platform: string; source: { fetch(): Promise<Revision> }; metrics: Metrics; settings: WorkerSettings; fence?: () => void; lost?: AbortSignal }): PlatformWorker {
  const { platform, settings, metrics } = options;
  const logger = settings.logger.child({ platform });
  const log = (message: string, fields?: Record<string, unknown>) => (fields ? logger.info(fields, message) : logger.info(message));
  const engine = (spec: ResolvedSpec, protosDir: string) => {
    const aws = awsClients({ region: platformRegion({ spec }) }); // one client set per region, shared by every platform
    return { spec, aws, kube: clusterAccessFor(spec, aws), layers: settings.layers, protosDir, fence: options.fence };
  };
  const probeStatus = new Map<string, ProbeStatus>();
  return withCallContext({ platform, replica: settings.replica }, () => {
    const prober = new Prober({
      metrics, dnsServer: settings.dnsServer, caFile: settings.caFile,
      onResult: (r, t) => probeStatus.set(t.service, { service: t.service, target: t.address, method: `/${t.grpcService}/${t.method}`, success: r.success,
        grpcStatus: r.code, message: r.message, durationMs: Math.round(r.durationMs), at: r.at.toISOString() }),
      onForget: (service) => probeStatus.delete(service),
    });
    const daemon = new Daemon({
      source: options.source, metrics, mode: settings.mode, branch: settings.branch, pollIntervalMs: settings.pollIntervalMs, resyncIntervalMs: settings.resyncIntervalMs,
      backoffMs: settings.backoffMs, maxBackoffMs: settings.maxBackoffMs, log, logger,
      plan: async (spec, protosDir, signal, onEvent) => {
        const planned = await planPlatform({ ...engine(spec, protosDir), signal, onEvent });
        prober.setLoadBalancers(albDnsNamesOf(planned.observed.values()));
        return planned;
      },
      apply: (spec, protosDir, plan, signal, onEvent) => {
        const stopping = options.lost ? AbortSignal.any([signal, options.lost]) : signal;
        return settings.applies.run(() => applyPlatform({ ...engine(spec, protosDir), plan, signal: stopping, onEvent }), stopping);
      },
      onSpec: (spec, protosDir) => prober.setSpec(spec, protosDir, settings.probePort),
    });
    const stopDaemon = daemon.start();
    return {
      daemon,
      probes: () => [...probeStatus.values()],
      plan: (spec, protosDir, signal) => withCallContext({ platform, replica: settings.replica }, () => planPlatform({ ...engine(spec, protosDir), signal })),
      trigger: (kind) => daemon.trigger(kind),
      async stop() {
        prober.stop();
        await stopDaemon();
      },
    };
  });
}
