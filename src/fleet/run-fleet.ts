// `platformd run --path 'platforms/*/platform.yaml'`: one process, many platforms. One git clone
// (SharedSource), the glob re-expanded on every fetched commit, one Daemon + Prober per platform
// worked on here, Leases shared fairly with the other replicas (fleet.ts), one HTTP server.
import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EXIT_USAGE } from '../commands/command.js';
import { setDefaultCallContext } from '../cloud/call-context.js';
import { loadKubeConfig } from '../leader/lease-store.js';
import type { LeaderSettings } from '../leader/daemon-leadership.js';
import { createMetrics } from '../metrics.js';
import { build } from '../server/app.js';
import { GitSource } from '../source/git.js';
import { credentialsFromEnv } from '../source/git-credentials.js';
import { parseDuration } from '../platform-spec/duration.js';
import type { LayerName } from '../resources/registry.js';
import type { Logger } from '../log/logger.js';
import { describeError } from '../errors.js';
import { expandPattern, keyedPlatforms } from './glob.js';
import { Fleet } from './fleet.js';
import { FleetRegistry, fleetServerDeps, installFleetRoutes, keepProcessFamilies } from './fleet-http.js';
import { Semaphore } from '../semaphore.js';
import { SharedSource } from './shared-source.js';

/** Applies running at once across the platforms of one process (the others queue). */
export const DEFAULT_CONCURRENT_APPLIES = 4;

export interface FleetRunOptions {
  values: Record<string, string | boolean | undefined>;
  pattern: string;
  layers?: LayerName[];
  election?: LeaderSettings;
  logger: Logger;
  tls?: { cert: Buffer; key: Buffer };
  gitTimeoutMs: number;
  version: string;
}

export async function runFleet(options: FleetRunOptions): Promise<number> {
  const { values, logger, version } = options;
  const str = (flag: string) => (typeof values[flag] === 'string' ? values[flag] : undefined);
  const log = (message: string) => logger.info(message);
  let durations: { poll: number; resync: number; backoff: number; maxBackoff: number };
  try {
    durations = { poll: parseDuration(str('poll-interval') ?? '1m'), resync: parseDuration(str('resync-interval') ?? '10m'),
      backoff: parseDuration(str('retry-interval') ?? '5s'), maxBackoff: parseDuration(str('max-retry-interval') ?? '5m') };
  } catch (err) {
    console.error(`platformd run: ${(err as Error).message}`);
    return EXIT_USAGE;
  }
  if (options.election?.name) {
    console.error('platformd run: --lease-name names one Lease; a fleet holds platformd-<platform> per platform');
    return EXIT_USAGE;
  }
  const replica = str('instance-id') ?? `${hostname()}_${randomUUID().slice(0, 8)}`;
  setDefaultCallContext({ replica });
  const mode = (str('mode') ?? 'apply') as 'apply' | 'detect';
  const branch = str('branch') ?? 'main';
  const shutdown = new AbortController();
  let exitCode = 0;
  const stopped = new Promise<void>((resolve) => {
    const stop = () => { shutdown.abort(new Error('platformd is shutting down')); resolve(); };
    process.once('SIGTERM', stop);
    process.once('SIGINT', stop);
  });
  const metrics = createMetrics(version, mode);
  // The fleet's own registry keeps the process series; each platform's registry has the rest.
  keepProcessFamilies(metrics.registry);
  const git = new GitSource({ repo: String(values.repo), branch, path: options.pattern, timeoutMs: options.gitTimeoutMs, signal: shutdown.signal,
    credentials: await credentialsFromEnv(), workdir: str('workdir') ?? join(tmpdir(), `platformd-${process.pid}`) });
  let phase = 'fetching the repository for the first time';
  let synced = false;
  // eslint-disable-next-line prefer-const -- assigned below: the source (made first) announces commits to it
  let fleet: Fleet;
  const source = new SharedSource({
    fetch: () => git.fetch(),
    onCommit: async (revision) => {
      try {
        const { platforms, duplicates } = keyedPlatforms(await expandPattern(revision.treeDir, options.pattern));
        for (const d of duplicates) logger.warn(`ignored ${d}: rename one platform's directory`);
        if (platforms.size === 0) logger.warn(`no file matches ${options.pattern} at ${revision.sha}`);
        await fleet.sync(platforms);
        log(`fleet at ${revision.sha.slice(0, 12)}: ${platforms.size} platform(s) match ${options.pattern}`);
        synced = true;
        phase = 'ready';
      } catch (err) {
        logger.warn(`following ${revision.sha.slice(0, 12)} failed: ${describeError(err)}`);
      }
    },
  });
  let election;
  try {
    election = options.election ? { kc: loadKubeConfig(options.election.kubeconfig), namespace: options.election.namespace, timing: options.election.timing } : undefined;
  } catch (err) {
    console.error(`platformd run: leader election: ${(err as Error).message}`);
    return EXIT_USAGE;
  }
  const concurrency = Number(str('max-concurrent-applies') ?? DEFAULT_CONCURRENT_APPLIES);
  fleet = new Fleet({
    version, replica, source, metrics, election, log,
    settings: { mode, branch, pollIntervalMs: durations.poll, resyncIntervalMs: durations.resync, backoffMs: durations.backoff, maxBackoffMs: durations.maxBackoff,
      layers: options.layers, dnsServer: str('dns-server') ?? process.env.PLATFORMD_DNS_SERVER, caFile: str('ca-file') ?? process.env.PLATFORMD_CA_FILE,
      probePort: str('probe-port') ? Number(str('probe-port')) : 443, applies: new Semaphore(concurrency > 0 ? concurrency : DEFAULT_CONCURRENT_APPLIES), logger, replica },
  });
  const registry = new FleetRegistry(metrics.registry, () => fleet.registries());
  const app = build({
    ...fleetServerDeps(fleet, { replica, registry, ready: () => synced, phase: () => phase, extra: () => ({ instanceId: replica }) }),
    apiToken: process.env.PLATFORMD_API_TOKEN || undefined, webhookSecret: process.env.PLATFORMD_WEBHOOK_SECRET || undefined, tls: options.tls, logger,
  });
  installFleetRoutes(app, fleet, process.env.PLATFORMD_API_TOKEN || undefined);
  const [host, port] = (str('listen') ?? process.env.PLATFORMD_LISTEN ?? '127.0.0.1:8080').split(/:(?=\d+$)/);
  const address = await app.listen({ host, port: Number(port) });
  log(`platformd ${version} listening on ${address} (fleet ${options.pattern}, replica ${replica})`);

  // Count the replicas before taking any platform, then follow the branch: every poll that finds
  // a new commit re-expands the glob (the platforms' own polls share the same fetches).
  try {
    await fleet.start();
  } catch (err) {
    logger.warn(`joining the fleet failed: ${describeError(err)}`);
  }
  const poll = async () => {
    try {
      await source.fetch();
    } catch (err) {
      logger.warn({ error: describeError(err) }, `fetching ${branch} failed; will retry: ${describeError(err)}`);
    }
  };
  const poller = setInterval(() => void poll(), durations.poll);
  poller.unref();
  await Promise.race([poll(), stopped]);
  await stopped;
  log('shutting down: stopping every platform, then releasing its Lease');
  clearInterval(poller);
  try {
    await fleet.stop();
  } catch (err) {
    logger.warn(`stopping the fleet: ${describeError(err)}`);
    exitCode = 1;
  }
  await app.close();
  metrics.close();
  log('stopped');
  return exitCode;
}
