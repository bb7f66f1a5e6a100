// The daemon's HTTP face for a fleet, on the same build(deps) server as one platform:
// /status lists the platforms with their Ready condition (one platform: its status, as before),
// /status?platform=NAME and /plan/<platform> answer for one, /metrics joins the process's series
// with every platform's (each labelled platform=NAME), triggers reach every platform worked on here.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AggregatorRegistry, Registry } from 'prom-client';
import type { ServerDeps } from '../server/app.js';
import { bearerGuard } from '../server/auth.js';
import { sendError } from '../server/errors.js';
import { planToJson } from '../plan/render-json.js';
import { renderPlanText } from '../plan/render-text.js';
import { defaultProtosDir } from '../protos-dir.js';
import type { DaemonStatus } from '../daemon-status.js';
import type { Fleet } from './fleet.js';

/** Series a fleet keeps once per process; every other platformd_ family lives in the platforms' registries. */
const PROCESS_FAMILIES = ['platformd_info', 'platformd_leader'];

/** Reduce a process-wide createMetrics() registry to the process's own families (the platforms have the rest). */
export function keepProcessFamilies(registry: Registry): void {
  for (const m of registry.getMetricsAsArray()) if (m.name.startsWith('platformd_') && !PROCESS_FAMILIES.includes(m.name)) registry.removeSingleMetric(m.name);
}

/** Drop the process families from a platform's registry (they appear once, in the process's). */
export function dropProcessFamilies(registry: Registry): void {
  for (const name of PROCESS_FAMILIES) registry.removeSingleMetric(name);
}

/** The process registry plus every platform's, in one exposition (no family repeated). */
export class FleetRegistry extends Registry {
  constructor(private readonly own: Registry, private readonly platforms: () => Registry[]) {
    super();
  }

  override async metrics(): Promise<string> {
    const perPlatform = await Promise.all(this.platforms().map((r) => r.getMetricsAsJSON()));
    const joined = perPlatform.length > 0 ? await AggregatorRegistry.aggregate(perPlatform).metrics() : '';
    return `${await this.own.metrics()}${joined}`;
  }
}

/** /status of one platform: its daemon's status when worked on here, else who leads it. */
export function platformStatus(fleet: Fleet, key: string): Record<string, unknown> | undefined {
  const view = fleet.platforms().find((p) => p.platform === key);
  if (!view) return undefined;
  const worker = fleet.worker(key);
  if (worker) return { platform: key, path: view.path, ...worker.daemon.status, probes: worker.probes(), leadership: view };
  const who = view.leader?.holderIdentity ? `${view.leader.holderIdentity} leads platform ${key} (since ${view.leader.acquireTime})` : `no replica leads platform ${key} yet`;
  return { platform: key, path: view.path, standby: true, leadership: view, message: `this replica is not working on ${key}: ${who}` };
}

/** /status of the fleet: every platform with its Ready condition as seen here. */
export function fleetStatus(fleet: Fleet, replica: string): Record<string, unknown> {
  return {
    replica, liveReplicas: fleet.liveReplicas, fairShare: fleet.fairShare,
    platforms: fleet.platforms().map((p) => {
      const worker = fleet.worker(p.platform);
      const ready = worker?.daemon.status.conditions.find((c) => c.type === 'Ready') ?? null;
      return { platform: p.platform, path: p.path, leading: p.leading, leader: p.leader?.holderIdentity ?? null, ready };
    }),
  };
}

/** ServerDeps for build(): a fleet of one answers /status and /plan as one platform always did. */
export function fleetServerDeps(fleet: Fleet, options: { replica: string; registry: Registry; ready(): boolean; phase(): string; extra(): Record<string, unknown> }): Omit<ServerDeps, 'apiToken' | 'webhookSecret' | 'tls' | 'logger'> {
  const only = () => (fleet.size === 1 ? fleet.platforms()[0]?.platform : undefined);
  return {
    status: () => {
      const single = only();
      const body = single ? platformStatus(fleet, single) : fleetStatus(fleet, options.replica);
      return { ...(body ?? { starting: options.phase() }), ...options.extra() } as never as DaemonStatus;
    },
    ready: options.ready,
    notReadyReason: options.phase,
    registry: options.registry,
    current: () => { const single = only(); return single ? fleet.worker(single)?.daemon.current() : undefined; },
    plan: (spec, protosDir, signal) => {
      const worker = fleet.worker(only() ?? '');
      if (!worker) throw new Error('name the platform: /plan/<platform>');
      return worker.plan(spec, protosDir, signal);
    },
    protosDir: () => defaultProtosDir(),
    trigger: (kind) => { for (const p of fleet.platforms()) fleet.worker(p.platform)?.trigger(kind); },
  };
}

/** The per-platform routes: /status?platform=NAME, GET /plan/<platform>, and GET /plan naming them when there are several. */
export function installFleetRoutes(app: FastifyInstance, fleet: Fleet, apiToken: string | undefined): void {
  app.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
    const [path] = request.url.split('?');
    const platform = (request.query as { platform?: string } | undefined)?.platform ?? new URL(request.url, 'http://x').searchParams.get('platform');
    if (path === '/status' && platform) {
      const body = platformStatus(fleet, platform);
      if (!body) return sendError(reply, 404, 'not_found', `no platform ${platform} in this fleet`, { platforms: fleet.platforms().map((p) => p.platform) });
      return reply.send(body);
    }
    if (path === '/plan' && request.method === 'GET' && fleet.size > 1) {
      return sendError(reply, 400, 'bad_request', 'this daemon manages several platforms: GET /plan/<platform>', { platforms: fleet.platforms().map((p) => p.platform) });
    }
  });
  app.get('/plan/:platform', { preHandler: bearerGuard(apiToken) }, async (request, reply) => {
    const key = (request.params as { platform: string }).platform;
    if (!fleet.has(key)) return sendError(reply, 404, 'not_found', `no platform ${key} in this fleet`, { platforms: fleet.platforms().map((p) => p.platform) });
    const worker = fleet.worker(key);
    if (!worker) {
      const leader = fleet.platforms().find((p) => p.platform === key)?.leader ?? null;
      return sendError(reply, 503, 'not_leader', `this replica does not work on ${key}: ${leader ? `${leader.holderIdentity} leads it` : 'no replica leads it yet'}`, { leader });
    }
    const current = worker.daemon.current();
    if (!current) return sendError(reply, 503, 'no_valid_spec', `no valid spec of ${key} has been loaded yet`);
    const planned = await worker.plan(current.spec, current.protosDir);
    const json = (request.query as { format?: string }).format === 'json' || (request.headers.accept ?? '').includes('application/json');
    if (json) return reply.type('application/json').send({ ...planToJson(planned.plan), commit: current.commit, platform: key });
    return reply.type('text/plain; charset=utf-8').send(`Plan of ${key} at ${current.commit}:\n\n${renderPlanText(planned.plan)}\n`);
  });
}
