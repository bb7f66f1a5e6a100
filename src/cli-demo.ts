// `npm start`: the whole product on the sandbox for a newcomer. Starts the emulated world, seeds
// a local git repository with specs/platform.yaml and protos/, runs the daemon against it, shows
// progress until the platform is converged and the probes pass, then says where to look and how
// to make a change. Runs until Ctrl-C.
import { spawn, type ChildProcess } from 'node:child_process';
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net, { type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { EXIT_USAGE, defineCommand } from './commands/command.js';
import type { DaemonStatus } from './daemon-status.js';
import { startSandbox } from './sandbox/world.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The port of `127.0.0.1:<preferred>` if it is free now, else a free one the system picks. */
async function freePort(preferred: number): Promise<number> {
  const bind = (port: number) => new Promise<number>((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      const bound = (server.address() as AddressInfo).port;
      server.close(() => resolve(bound));
    });
  });
  return bind(preferred).catch(() => bind(0));
}

export const command = defineCommand({
  summary: 'run the whole demo on the sandbox (what `npm start` does)',
  usage: `Usage: platformd demo [--port 8080] [--time-scale 0.008]

Starts the emulated AWS + Kubernetes world, seeds a local git repository with
specs/platform.yaml and protos/, runs \`platformd run\` against it, and waits until the platform
is converged and every gRPC probe passes. Then prints the URLs to look at and how to change the
platform with a commit. Ctrl-C stops everything and removes the demo's temporary directory.

Runs as any user and beside other sandboxes and demos: the sandbox's ALBs take loopback
addresses of their own and port 443 when it can be bound (else a free port, which the daemon's
probes are told), and the demo reads only the daemon it started.

Options:
  --port N         the daemon's HTTP port (default 8080, or a free port when 8080 is taken;
                   0 = a free port)
  --time-scale X   real seconds per emulated second (default 0.008: a 10-minute EKS create takes 5 s)
  -h, --help       show this help`,
  options: { port: { type: 'string' }, 'time-scale': { type: 'string' } },
  async run({ values }) {
    const started = Date.now();
    const say = (line: string) => console.log(`[${((Date.now() - started) / 1000).toFixed(1).padStart(5)}s] ${line}`);
    const requestedPort = values.port !== undefined ? Number(values.port) : undefined;
    if (requestedPort !== undefined && (!Number.isInteger(requestedPort) || requestedPort < 0 || requestedPort > 65535)) {
      console.error('platformd demo: --port must be an integer between 0 and 65535');
      return EXIT_USAGE;
    }
    const sandbox = await startSandbox({ port: 0, timeScale: values['time-scale'] !== undefined ? Number(values['time-scale']) : 0.008 });
    say(`sandbox: emulated AWS on ${sandbox.endpoint}, DNS on ${sandbox.dns}, ALBs on port ${sandbox.albPort}`);

    // Everything the demo writes lives under one temporary directory, removed on every way out.
    const scratch = mkdtempSync(join(tmpdir(), 'platformd-demo-'));
    const removeScratch = () => rmSync(scratch, { recursive: true, force: true });
    process.once('exit', removeScratch);
    const repo = join(scratch, 'repo');
    const workdir = join(scratch, 'work');
    mkdirSync(workdir);
    // The package's own specs/ and protos/, wherever the command is run from.
    const packageRoot = fileURLToPath(new URL('..', import.meta.url));
    cpSync(join(packageRoot, 'specs'), join(repo, 'specs'), { recursive: true });
    cpSync(join(packageRoot, 'protos'), join(repo, 'protos'), { recursive: true });
    const git = (...args: string[]) => execFileSync('git', args, { cwd: repo, stdio: 'ignore', env: { ...process.env, GIT_AUTHOR_NAME: 'platformd demo', GIT_AUTHOR_EMAIL: 'demo@platformd.invalid', GIT_COMMITTER_NAME: 'platformd demo', GIT_COMMITTER_EMAIL: 'demo@platformd.invalid' } });
    git('init', '-q', '-b', 'main');
    git('add', '-A');
    git('commit', '-qm', 'the reference platform');
    const caFile = join(scratch, 'sandbox-ca.pem');
    writeFileSync(caFile, sandbox.caPem);
    say(`git repository seeded at ${repo}`);

    // NOTE(instance): another daemon may answer on this port (a second demo, or this port taken
    // between the check and the daemon's listen). The nonce, echoed in /status, is how the demo
    // knows the answer comes from its own daemon; a default port lost that way is replaced.
    const instanceId = randomUUID();
    const cli = fileURLToPath(new URL('./cli.js', import.meta.url));
    let daemonOutput = '';
    const spawnDaemon = (listenPort: number): ChildProcess => {
      daemonOutput = '';
      const child = spawn(process.execPath, [cli, 'run', '--repo', repo, '--branch', 'main', '--path', 'specs/platform.yaml', '--listen', `127.0.0.1:${listenPort}`,
        '--poll-interval', '2s', '--resync-interval', '30s', '--dns-server', sandbox.dns, '--ca-file', caFile, '--probe-port', String(sandbox.albPort),
        '--instance-id', instanceId, '--workdir', workdir], {
        // A person reads the demo: human log lines, and no repeat of the SDK's Node 20 notice
        // (README states the support window) in the middle of them.
        env: { PLATFORMD_LOG_FORMAT: 'human', AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', ...process.env, ...sandbox.env() },
        stdio: ['ignore', 'inherit', 'pipe'] });
      child.stderr!.on('data', (d: Buffer) => {
        daemonOutput += d.toString();
        for (const line of d.toString().split('\n').filter(Boolean)) say(`daemon: ${line.replace(/^\S+Z /, '')}`);
      });
      return child;
    };
    const hasExited = (child: ChildProcess) => child.exitCode !== null || child.signalCode !== null;
    let port = requestedPort === undefined ? await freePort(8080) : requestedPort === 0 ? await freePort(0) : requestedPort;
    let daemon = spawnDaemon(port);
    let url = `http://127.0.0.1:${port}`;
    let portRetries = requestedPort === undefined || requestedPort === 0 ? 3 : 0;
    let stopping = false;
    const stop = async () => {
      if (stopping) return;
      stopping = true;
      if (!hasExited(daemon)) {
        const exited = new Promise((resolve) => daemon.once('exit', resolve));
        daemon.kill('SIGTERM');
        await exited;
      }
      await sandbox.close();
      removeScratch();
    };
    // SIGHUP too: closing the terminal ends the demo, and without a handler Node would die
    // without cleaning up.
    for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.once(signal, () => void stop().then(() => process.exit(0)));

    // Progress until converged and probing.
    let last = '';
    let foreignSaid = false;
    for (;;) {
      const status = await fetch(`${url}/status`).then((r) => r.json() as Promise<Partial<DaemonStatus>>).catch(() => undefined);
      if (hasExited(daemon)) {
        if (stopping) return 0; // Ctrl-C: stop() finishes and exits
        if (portRetries > 0 && /EADDRINUSE/.test(daemonOutput)) {
          portRetries--;
          port = await freePort(0);
          say(`port taken meanwhile; starting the daemon on ${port} instead`);
          daemon = spawnDaemon(port);
          url = `http://127.0.0.1:${port}`;
          continue;
        }
        await stop();
        console.error(`the daemon exited (${daemon.exitCode ?? daemon.signalCode}); see its output above`);
        return 1;
      }
      if (status && status.instanceId !== instanceId) {
        if (!foreignSaid) say(`another process answers on ${url}, not this demo's daemon; waiting for ours`);
        foreignSaid = true;
      } else if (status) {
        const probes = status.probes ?? [];
        const ok = probes.filter((p) => p.success).length;
        const resources = status.resources ?? [];
        const line = `reconcile: ${status.reconciling ? 'running' : (status.lastReconcile?.outcome ?? 'starting')}; resources in sync: ${resources.filter((r) => r.state === 'in-sync').length}/${resources.length}; probes passing: ${ok}/${probes.length || 3}`;
        if (line !== last) say(line);
        last = line;
        if (status.lastReconcile?.outcome === 'success' && probes.length > 0 && ok === probes.length) break;
      }
      await sleep(500);
    }
    say('converged, and every gRPC probe passes through DNS → TLS → ALB → pods.');
    console.log(`
Where to look:
  ${url}/status    commit, last reconcile, every resource's state and drift, DNS delegation, probes
  ${url}/plan      the plan of HEAD against live state (?format=json for JSON)
  ${url}/metrics   Prometheus metrics (drift, reconciles, API calls, probes)

Make a change (this repository is removed when the demo stops):
  cd ${repo}
  sed -i '0,/replicas: 2/s//replicas: 3/' specs/platform.yaml   # route-guide: 2 → 3 replicas
  git commit -qam "route-guide: 3 replicas"
  # within the 2 s poll interval the daemon reconciles it; watch ${url}/status

Press Ctrl-C to stop.`);
    await new Promise<void>(() => {});
    return 0;
  },
});
