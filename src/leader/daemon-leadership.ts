// `platformd run --leader-elect`: one Lease per platform decides which replica reconciles and
// probes it. The others stand by, serve /healthz and /metrics, and answer /status, /plan and the
// trigger endpoints by naming the leader. Losing the Lease aborts the leader's work at once and
// fences every later mutation (engine `fence`); stopping releases it.
import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { LeaderElector, DEFAULT_TIMING, timingProblem, type ElectionTiming, type LeaderView } from './elector.js';
import { defaultLeaseNamespace, kubeLeaseStore, loadKubeConfig } from './lease-store.js';
import { parseDuration } from '../platform-spec/duration.js';
import type { Metrics } from '../metrics.js';
import { sendError } from '../server/errors.js';

export const LEADER_OPTIONS = {
  'leader-elect': { type: 'boolean' }, 'lease-kubeconfig': { type: 'string' }, 'lease-namespace': { type: 'string' }, 'lease-name': { type: 'string' },
  'lease-duration': { type: 'string' }, 'renew-deadline': { type: 'string' }, 'retry-period': { type: 'string' },
} as const;

export const LEADER_USAGE = `High availability (several replicas, one leader per platform; a coordination.k8s.io/v1 Lease):
  --leader-elect           only the holder of the platform's Lease reconciles and probes; the others
                           stand by and answer /status and /plan by naming the leader
  --lease-kubeconfig FILE  the cluster holding the Lease (default: in-cluster service account;
                           PLATFORMD_LEASE_KUBECONFIG)
  --lease-namespace NS     default: the pod's namespace in-cluster, else default
  --lease-name NAME        default platformd-<platform name>
  --lease-duration DUR     how long a silent leader is waited for (default 15s)
  --renew-deadline DUR     how long the leader keeps acting without a renewal (default 10s)
  --retry-period DUR       how often to try and to renew (default 2s)`;

export interface LeaderSettings {
  kubeconfig?: string;
  namespace: string;
  name?: string;
  timing: ElectionTiming;
}

/** The flags as settings, or what is wrong with them. */
export function leaderSettings(values: Record<string, string | boolean | undefined>): LeaderSettings | string {
  try {
    const duration = (flag: string, fallback: number) => (typeof values[flag] === 'string' ? parseDuration(values[flag]) : fallback);
    const timing = { leaseDurationMs: duration('lease-duration', DEFAULT_TIMING.leaseDurationMs), renewDeadlineMs: duration('renew-deadline', DEFAULT_TIMING.renewDeadlineMs),
      retryPeriodMs: duration('retry-period', DEFAULT_TIMING.retryPeriodMs) };
    const problem = timingProblem(timing);
    if (problem) return problem;
    const str = (flag: string) => (typeof values[flag] === 'string' ? values[flag] : undefined);
    return { kubeconfig: str('lease-kubeconfig') ?? (process.env.PLATFORMD_LEASE_KUBECONFIG || undefined), namespace: str('lease-namespace') ?? defaultLeaseNamespace(), name: str('lease-name'), timing };
  } catch (err) {
    return (err as Error).message;
  }
}

export interface Leadership {
  readonly elector: LeaderElector;
  readonly platform: string;
  /** Aborted the moment leadership is lost (not by stop()): abort in-flight work with it. */
  readonly lost: AbortSignal;
  /** Engine fence: throws PLATFORMD_NOT_LEADER unless this replica still leads. */
  fence(): void;
  /** Resolves true once leading, false if `signal` aborts first. */
  waitToLead(signal: AbortSignal): Promise<boolean>;
  /** What /status shows about leadership. */
  view(): { platform: string; lease: string; identity: string; leading: boolean; leader: LeaderView | null };
  /** fastify onRequest hook: a standby answers /status, /plan and the triggers by naming the leader. */
  standbyHook(request: FastifyRequest, reply: FastifyReply): Promise<void>;
  /** Stop campaigning and release the Lease if held. */
  stop(): Promise<void>;
}

export function startLeadership(options: { settings: LeaderSettings; platform: string; identity?: string; metrics: Metrics; log: (message: string) => void }): Leadership {
  const { settings, platform, metrics, log } = options;
  const leaseName = settings.name ?? `platformd-${platform}`;
  const store = kubeLeaseStore(loadKubeConfig(settings.kubeconfig), settings.namespace, leaseName);
  const lost = new AbortController();
  const campaign = new AbortController();
  let stopping = false;
  const leadingWaiters = new Set<() => void>();
  metrics.leader.labels(platform).set(0);
  const elector = new LeaderElector({
    store, identity: options.identity ?? `${hostname()}_${randomUUID()}`, ...settings.timing, log,
    onStartedLeading: () => {
      metrics.leader.labels(platform).set(1);
      for (const w of leadingWaiters) w();
    },
    onStoppedLeading: (why) => {
      metrics.leader.labels(platform).set(0);
      if (!stopping) lost.abort(new Error(`leadership of ${platform} lost: ${why}`));
    },
  });
  const running = elector.run(campaign.signal);
  const view = () => ({ platform, lease: store.describe, identity: elector.identity, leading: elector.isLeader(), leader: elector.leader() ?? null });
  return {
    elector, platform, lost: lost.signal, view,
    fence: () => elector.assertLeader(),
    waitToLead: (signal) => new Promise<boolean>((resolve) => {
      if (elector.isLeader()) return resolve(true);
      const done = (value: boolean) => { leadingWaiters.delete(onLead); signal.removeEventListener('abort', onAbort); resolve(value); };
      const onLead = () => done(true);
      const onAbort = () => done(false);
      leadingWaiters.add(onLead);
      signal.addEventListener('abort', onAbort, { once: true });
    }),
    async standbyHook(request, reply) {
      if (elector.isLeader()) return;
      const path = request.url.split('?')[0] ?? '';
      const leader = elector.leader();
      const who = leader ? `${leader.holderIdentity} leads platform ${platform} (since ${leader.acquireTime})` : `no replica leads platform ${platform} yet`;
      if (path === '/status') {
        await reply.send({ standby: true, leadership: view(), message: `this replica (${elector.identity}) is standing by: ${who}` });
      } else if (path === '/plan' || path === '/reconcile' || path.startsWith('/hooks/')) {
        const retryAfter = Math.ceil(settings.timing.retryPeriodMs / 1000);
        await sendError(reply.header('retry-after', String(retryAfter)), 503, 'not_leader', `this replica (${elector.identity}) does not lead: ${who}`, { leader: leader ?? null, retryAfter });
      }
    },
    async stop() {
      stopping = true;
      campaign.abort();
      await running; // run() releases the Lease on its way out (ReleaseOnCancel)
      metrics.leader.labels(platform).set(0);
    },
  };
}
