// `platformd run`: the daemon. Follows a branch of a git repository, reconciles on every commit
// and on a resync interval, serves /plan /status /metrics, and probes the services.
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EXIT_USAGE, defineCommand } from './command.js';
import { awsClients } from '../cloud/aws.js';
import { platformRegion } from '../cloud/region.js';
import { clusterAccessFor, stopWatches } from '../cloud/cluster-access.js';
import { applyPlatform, planPlatform } from '../engine.js';
import { Daemon } from '../daemon.js';
import { GitSource } from '../source/git.js';
import { credentialsFromEnv, redactUrls } from '../source/git-credentials.js';
import { build } from '../server/app.js';
import { createLogger } from '../log/logger.js';
import { describeError } from '../errors.js';
import { createMetrics } from '../metrics.js';
import { Prober } from '../probe/scheduler.js';
import { ProbeHistory } from '../probe/history.js';
import { albDnsNamesOf } from '../probe/targets.js';
import { parseDuration } from '../platform-spec/duration.js';
import { loadCheckoutSpec } from '../source/checkout-spec.js';
import { parseLayers } from './spec-args.js';
import { defaultProtosDir } from '../protos-dir.js';
import type { ResolvedSpec } from '../platform-spec/resolved.js';
import { reconcileDefaults } from '../platform-spec/defaults.js';
import type { ProbeStatus } from '../daemon-status.js';
import { PLATFORMD_VERSION } from '../version.js';
import { platformOutputs, type PlatformOutputs } from '../plan/outputs.js';
import { LEADER_OPTIONS, LEADER_USAGE, leaderSettings, startLeadership, type Leadership } from '../leader/daemon-leadership.js';
import { isFleetPattern } from '../fleet/glob.js';
import { runFleet } from '../fleet/run-fleet.js';

const VERSION = PLATFORMD_VERSION;

export const command = defineCommand({
  summary: 'run the daemon: reconcile a git branch continuously, serve /plan /status /metrics, probe the services',
  usage: `Usage: platformd run --repo URL|PATH [--branch main] [--path specs/platform.yaml] [options]

Clones the repository with git, reconciles the spec at the branch's head on every new commit
(polling, or at once on a signed webhook) and on a resync interval to catch drift, and keeps
doing so. An invalid spec at HEAD changes nothing: the last good spec stays in force.

Options:
  --repo URL|PATH          repository to follow (required; https credentials from the environment, below)
  --branch NAME            branch to follow (default main)
  --path FILE|GLOB         the spec inside the repository (default specs/platform.yaml); a glob such as
                           'platforms/*/platform.yaml' makes a fleet: every match is a platform of its own
                           (own loop, Lease, /status?platform=NAME, /plan/NAME, platform label on metrics)
  --max-concurrent-applies N  a fleet's applies running at once across its platforms (default 4)
  --workdir DIR            where the clone lives (default: a directory under the system temp dir, mode 0700)
  --git-timeout DUR        longest a git clone or fetch may take (default 60s)
  --listen HOST:PORT       HTTP address (default 127.0.0.1:8080; PLATFORMD_LISTEN)
  --tls-cert FILE          serve HTTPS with this certificate (PEM, with --tls-key); without it the
  --tls-key FILE           listener is plain HTTP: keep it on loopback or terminate TLS in front
  --mode apply|detect      apply changes, or only report drift (default: spec reconcile.mode, else apply)
  --poll-interval DUR      how often to fetch (default: spec reconcile.pollInterval, else 1m)
  --resync-interval DUR    how often to reconcile without a new commit (default: spec, else 10m)
  --retry-interval DUR     first retry after a failed reconcile; doubles per failure in a row (default 5s)
  --max-retry-interval DUR the longest retry delay (default 5m)
  --layers L1,L2           only these layers (default: all)
  --dns-server HOST:PORT   resolve the probed domain through this DNS server (PLATFORMD_DNS_SERVER)
  --ca-file FILE           extra root CA the probes trust (PLATFORMD_CA_FILE)
  --probe-port N           port the probes dial on the domain (default 443)
  --instance-id TEXT       shown as instanceId in /status, so whoever started this daemon can tell it
                           from another one answering on the same address
  -h, --help               show this help

Secrets come from the environment, never from flags:
  PLATFORMD_API_TOKEN       bearer token required by POST /plan and POST /reconcile
  PLATFORMD_WEBHOOK_SECRET  GitHub webhook secret (X-Hub-Signature-256) or GitLab token (X-Gitlab-Token)
  PLATFORMD_GIT_USERNAME    user for an https repository (default git)
  PLATFORMD_GIT_PASSWORD    password or token for it (or PLATFORMD_GIT_PASSWORD_FILE: a file holding it);
                            handed to git through GIT_ASKPASS, never in the URL, argv or .git/config

${LEADER_USAGE}

HTTP: GET /healthz /readyz /metrics /status /plan, POST /plan /reconcile /hooks/git.
Log: JSON lines on stderr (PLATFORMD_LOG_FORMAT=human for plain lines; PLATFORMD_LOG_LEVEL=debug for more).
SIGTERM or SIGINT: stop taking triggers, abandon the current action safely, release the Lease,
close, exit 0. Losing the Lease (no renewal within the renew deadline): the same, exit 1.`,
  options: {
    repo: { type: 'string' }, branch: { type: 'string' }, path: { type: 'string' }, workdir: { type: 'string' }, listen: { type: 'string' },
    mode: { type: 'string' }, 'poll-interval': { type: 'string' }, 'resync-interval': { type: 'string' }, layers: { type: 'string' },
    'retry-interval': { type: 'string' }, 'git-timeout': { type: 'string' }, 'max-retry-interval': { type: 'string' },
    'dns-server': { type: 'string' }, 'ca-file': { type: 'string' }, 'probe-port': { type: 'string' },
    'instance-id': { type: 'string' }, 'tls-cert': { type: 'string' }, 'tls-key': { type: 'string' }, 'max-concurrent-applies': { type: 'string' },
    ...LEADER_OPTIONS,
  },
  async run({ values }) {
    if (!values.repo) {
      console.error('platformd run: --repo is required\n\n' + this.usage);
      return EXIT_USAGE;
    }
    const layers = parseLayers(values.layers);
    if (typeof layers === 'string') {
      console.error(`platformd run: ${layers}`);
      return EXIT_USAGE;
    }
    if (values.mode && !['apply', 'detect'].includes(values.mode)) {
      console.error('platformd run: --mode must be apply or detect');
      return EXIT_USAGE;
    }
    // JSON lines for a log shipper; PLATFORMD_LOG_FORMAT=human for a person at a terminal.
    const logger = createLogger({ format: process.env.PLATFORMD_LOG_FORMAT === 'human' ? 'human' : 'json' });
    const election = values['leader-elect'] ? leaderSettings(values) : undefined;
    if (typeof election === 'string') {
      console.error(`platformd run: leader election: ${election}`);
      return EXIT_USAGE;
    }
    const log = (message: string, fields?: Record<string, unknown>) => (fields ? logger.info(fields, message) : logger.info(message));
    const branch = values.branch ?? 'main';
    let gitTimeoutMs: number;
    try {
      gitTimeoutMs = parseDuration(values['git-timeout'] ?? '60s');
    } catch (err) {
      console.error(`platformd run: --git-timeout: ${(err as Error).message}`);
      return EXIT_USAGE;
    }
    if (redactUrls(values.repo) !== values.repo) {
      // Our own argv shows in `ps` to every user: overwrite it with the redacted command line.
      process.title = redactUrls(process.argv.join(' '));
      log('the repository URL carries credentials: git gets the URL without them; pass them in PLATFORMD_GIT_PASSWORD or PLATFORMD_GIT_PASSWORD_FILE instead');
    }
    let tls: { cert: Buffer; key: Buffer } | undefined;
    if (Boolean(values['tls-cert']) !== Boolean(values['tls-key'])) {
      console.error('platformd run: --tls-cert and --tls-key go together');
      return EXIT_USAGE;
    }
    if (values['tls-cert']) {
      try {
        tls = { cert: await readFile(values['tls-cert']), key: await readFile(values['tls-key']!) }; // set: they go together (above)
      } catch (err) {
        console.error(`platformd run: cannot read the TLS certificate or key: ${(err as Error).message}`);
        return EXIT_USAGE;
      }
    }
    if (values.path && isFleetPattern(values.path)) {
      return runFleet({ values, pattern: values.path, layers, election, logger, tls, gitTimeoutMs, version: VERSION });
    }
    const shutdown = new AbortController();
    const source = new GitSource({ repo: values.repo, branch, path: values.path ?? 'specs/platform.yaml', timeoutMs: gitTimeoutMs, signal: shutdown.signal,
      credentials: await credentialsFromEnv(), workdir: values.workdir ?? join(tmpdir(), `platformd-${process.pid}`) });

    // Answer /healthz from the first second and exit 0 on SIGTERM at any time, the initial clone
    // included: the server listens and the signals are caught before anything slow starts.
    let stopRequested = false;
    let exitCode = 0;
    let requestStop = () => {};
    const stopped = new Promise<void>((resolve) => {
      const stop = () => { stopRequested = true; shutdown.abort(new Error('platformd is shutting down')); resolve(); };
      requestStop = stop;
      process.once('SIGTERM', stop);
      process.once('SIGINT', stop);
    });
    const metrics = createMetrics(VERSION, values.mode ?? reconcileDefaults().mode);
    const probeStatus = new Map<string, ProbeStatus>();
    const probeHistory = new ProbeHistory();
    // The daemon exists once the first clone has told its settings; the server answers before that.
    const live: { daemon?: Daemon } = {};
    let phase = 'fetching the repository for the first time';
    let firstDone = false;
    const engine = (spec: ResolvedSpec, protosDir: string, watch = true) => {
      const aws = awsClients({ region: platformRegion({ spec }) });
      // The daemon watches the kinds it manages: a no-op reconcile lists none of them (kube-watch.ts).
      return { spec, aws, kube: clusterAccessFor(spec, aws, { watch }), layers, protosDir, fence: leadership ? () => leadership!.fence() : undefined };
    };
    const instanceId = values['instance-id'] as string | undefined;
    let leadership: Leadership | undefined;
    // The outputs of the last plan the daemon made (after every apply it plans again), for /status.
    let outputs: PlatformOutputs | null = null;
    const app = build({
      status: () => ({ ...(live.daemon ? { ...live.daemon.status, probes: [...probeStatus.values()] } : ({ starting: phase } as never)), ...(instanceId !== undefined ? { instanceId } : {}), outputs,
        ...(leadership ? { leadership: leadership.view() } : {}) }),
      probeHistory: () => probeHistory.series(),
      // A standby is ready once it knows the leader: it answers correctly, and an unready standby
      // would make a PodDisruptionBudget refuse to evict the leader.
      ready: () => firstDone || Boolean(leadership && !leadership.elector.isLeader() && leadership.elector.leader()),
      notReadyReason: () => phase,
      registry: metrics.registry,
      current: () => live.daemon?.current(),
      // A posted spec is previewed by listing: it never opens long-lived watches on what it names.
      plan: (spec, protosDir, signal) => planPlatform({ ...engine(spec, protosDir, false), signal }),
      protosDir: () => live.daemon?.current()?.protosDir ?? defaultProtosDir(),
      trigger: (kind) => live.daemon?.trigger(kind),
      apiToken: process.env.PLATFORMD_API_TOKEN || undefined,
      webhookSecret: process.env.PLATFORMD_WEBHOOK_SECRET || undefined,
      tls,
      logger,
    });
    app.addHook('onRequest', async (request, reply) => leadership?.standbyHook(request, reply));
    const [host, port] = (values.listen ?? process.env.PLATFORMD_LISTEN ?? '127.0.0.1:8080').split(/:(?=\d+$)/);
    const address = await app.listen({ host, port: Number(port) });
    log(`platformd ${VERSION} listening on ${address}`);

    // Read the spec once up front so its reconcile settings can fill in what the flags leave out.
    let fromSpec = reconcileDefaults();
    let platformName: string | undefined;
    const initial = (async () => {
      try {
        const rev = await source.fetch();
        const first = await loadCheckoutSpec({ ...rev, commit: rev.sha });
        if (first.ok) fromSpec = first.spec.reconcile;
        if (first.ok) platformName = first.spec.metadata.name;
      } catch (err) {
        logger.warn({ error: describeError(err) }, `initial fetch failed; will retry: ${describeError(err)}`);
      }
    })();
    await Promise.race([initial, stopped]);
    if (stopRequested) {
      log('stopped during startup');
      await initial; // the clone was killed by the shutdown signal
      await app.close();
      metrics.close();
      return 0;
    }
    let pollIntervalMs: number;
    let resyncIntervalMs: number;
    let backoffMs: number;
    let maxBackoffMs: number;
    try {
      pollIntervalMs = parseDuration(values['poll-interval'] ?? fromSpec.pollInterval);
      resyncIntervalMs = parseDuration(values['resync-interval'] ?? fromSpec.resyncInterval);
      backoffMs = parseDuration(values['retry-interval'] ?? '5s');
      maxBackoffMs = parseDuration(values['max-retry-interval'] ?? '5m');
    } catch (err) {
      console.error(`platformd run: ${(err as Error).message}`);
      await app.close();
      return EXIT_USAGE;
    }
    if (election) {
      if (!platformName && !election.name) {
        console.error('platformd run: leader election: the spec could not be read to name the Lease (platformd-<platform name>); pass --lease-name');
        await app.close();
        return 1;
      }
      const platform = platformName ?? election.name!;
      try {
        leadership = startLeadership({ settings: election, platform, identity: instanceId, metrics, log });
      } catch (err) {
        console.error(`platformd run: leader election: ${(err as Error).message}`);
        await app.close();
        return EXIT_USAGE;
      }
      const elected = leadership;
      phase = `standing by: waiting for the Lease of platform ${platform}`;
      log(`campaigning for the Lease of platform ${platform} as ${elected.elector.identity}`);
      elected.lost.addEventListener('abort', () => {
        log(`${(elected.lost.reason as Error).message}: abandoning the current action and exiting`);
        exitCode = 1;
        requestStop();
      }, { once: true });
      if (!(await elected.waitToLead(shutdown.signal))) {
        log('stopped while standing by');
        await elected.stop();
        await app.close();
        metrics.close();
        return 0;
      }
      log(`leading platform ${platform}: reconciling and probing`);
    }
    const mode = (values.mode ?? fromSpec.mode) as 'apply' | 'detect';
    metrics.info.reset();
    metrics.info.labels(VERSION, mode).set(1);
    const prober = new Prober({
      metrics, dnsServer: values['dns-server'] ?? process.env.PLATFORMD_DNS_SERVER, caFile: values['ca-file'] ?? process.env.PLATFORMD_CA_FILE,
      onResult: (r, t) => {
        probeStatus.set(t.service, { service: t.service, target: t.address, method: `/${t.grpcService}/${t.method}`, success: r.success,
          grpcStatus: r.code, message: r.message, durationMs: Math.round(r.durationMs), at: r.at.toISOString() });
        probeHistory.record(t.service, { at: r.at.toISOString(), durationMs: Math.round(r.durationMs), success: r.success, grpcStatus: r.code });
      },
      onForget: (service) => {
        probeStatus.delete(service);
        probeHistory.forget(service);
      },
    });
    const probePort = values['probe-port'] ? Number(values['probe-port']) : 443;
    const running = new Daemon({
      source, metrics, mode, branch, pollIntervalMs, resyncIntervalMs, backoffMs, maxBackoffMs, log, logger,
      plan: async (spec, protosDir, signal, onEvent) => {
        const planned = await planPlatform({ ...engine(spec, protosDir), signal, onEvent });
        outputs = platformOutputs(planned.observed.values());
        prober.setLoadBalancers(albDnsNamesOf(planned.observed.values()));
        return planned;
      },
      apply: (spec, protosDir, plan, signal, onEvent) => applyPlatform({ ...engine(spec, protosDir), plan, signal: leadership ? AbortSignal.any([signal, leadership.lost]) : signal, onEvent }),
      onSpec: (spec, protosDir) => prober.setSpec(spec, protosDir, probePort),
    });
    live.daemon = running;
    phase = 'the first reconcile is running';
    log(`reconciling branch ${branch} (mode ${mode}, poll ${pollIntervalMs / 1000}s, resync ${resyncIntervalMs / 1000}s)`);
    running.nextReconcile().then(() => { firstDone = true; phase = 'ready'; });
    const stopDaemon = running.start();

    await stopped;
    log('shutting down: no new triggers; abandoning the current action safely');
    prober.stop();
    await stopDaemon();
    stopWatches();
    await leadership?.stop(); // after the daemon stopped: the successor never overlaps our last call
    await app.close();
    metrics.close();
    log('stopped');
    return exitCode;
  },
});
