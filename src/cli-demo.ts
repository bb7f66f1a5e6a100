// `npm start`: the whole product on the sandbox for a newcomer. Starts the emulated world, seeds
// a local git repository with specs/platform.yaml and protos/, runs the daemon against it, shows
// progress until the platform is converged and the probes pass, then says where to look and how
// to make a change. Runs until Ctrl-C.
import { spawn } from 'node:child_process';
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Command } from './commands/command.js';
import { startSandbox } from './sandbox/world.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export const command: Command = {
  summary: 'run the whole demo on the sandbox (what `npm start` does)',
  usage: `Usage: platformd demo [--port 8080] [--time-scale 0.008]

Starts the emulated AWS + Kubernetes world, seeds a local git repository with
specs/platform.yaml and protos/, runs \`platformd run\` against it, and waits until the platform
is converged and every gRPC probe passes. Then prints the URLs to look at and how to change the
platform with a commit. Ctrl-C stops everything.

Options:
  --port N         the daemon's HTTP port (default 8080)
  --time-scale X   real seconds per emulated second (default 0.008: a 10-minute EKS create takes 5 s)
  -h, --help       show this help`,
  options: { port: { type: 'string' }, 'time-scale': { type: 'string' } },
  async run({ values }) {
    const started = Date.now();
    const say = (line: string) => console.log(`[${((Date.now() - started) / 1000).toFixed(1).padStart(5)}s] ${line}`);
    const sandbox = await startSandbox({ port: 0, timeScale: values['time-scale'] !== undefined ? Number(values['time-scale']) : 0.008 });
    say(`sandbox: emulated AWS on ${sandbox.endpoint}, DNS on ${sandbox.dns}`);

    const repo = mkdtempSync(join(tmpdir(), 'platformd-demo-repo-'));
    cpSync('specs', join(repo, 'specs'), { recursive: true });
    cpSync('protos', join(repo, 'protos'), { recursive: true });
    const git = (...args: string[]) => execFileSync('git', args, { cwd: repo, stdio: 'ignore', env: { ...process.env, GIT_AUTHOR_NAME: 'platformd demo', GIT_AUTHOR_EMAIL: 'demo@platformd.invalid', GIT_COMMITTER_NAME: 'platformd demo', GIT_COMMITTER_EMAIL: 'demo@platformd.invalid' } });
    git('init', '-q', '-b', 'main');
    git('add', '-A');
    git('commit', '-qm', 'the reference platform');
    const caFile = join(repo, '..', `platformd-demo-ca-${process.pid}.pem`);
    writeFileSync(caFile, sandbox.caPem);
    say(`git repository seeded at ${repo}`);

    const port = values.port ?? '8080';
    const cli = fileURLToPath(new URL('./cli.js', import.meta.url));
    const daemon = spawn(process.execPath, [cli, 'run', '--repo', repo, '--branch', 'main', '--path', 'specs/platform.yaml', '--listen', `127.0.0.1:${port}`,
      '--poll-interval', '2s', '--resync-interval', '30s', '--dns-server', sandbox.dns, '--ca-file', caFile,
      '--workdir', mkdtempSync(join(tmpdir(), 'platformd-demo-work-'))], { env: { ...process.env, ...sandbox.env() }, stdio: ['ignore', 'inherit', 'pipe'] });
    daemon.stderr!.on('data', (d: Buffer) => {
      for (const line of d.toString().split('\n').filter(Boolean)) say(`daemon: ${line.replace(/^\S+Z /, '')}`);
    });
    const url = `http://127.0.0.1:${port}`;
    let stopping = false;
    const stop = async () => {
      if (stopping) return;
      stopping = true;
      daemon.kill('SIGTERM');
      await new Promise((r) => daemon.once('exit', r));
      await sandbox.close();
    };
    process.once('SIGINT', () => void stop().then(() => process.exit(0)));
    process.once('SIGTERM', () => void stop().then(() => process.exit(0)));

    // Progress until converged and probing.
    let last = '';
    for (;;) {
      if (daemon.exitCode !== null) {
        await sandbox.close();
        console.error('the daemon exited; see its output above');
        return 1;
      }
      const status = await fetch(`${url}/status`).then((r) => r.json() as Promise<any>).catch(() => undefined);
      if (status) {
        const probes = status.probes ?? [];
        const ok = probes.filter((p: { success: boolean }) => p.success).length;
        const line = `reconcile: ${status.reconciling ? 'running' : (status.lastReconcile?.outcome ?? 'starting')}; resources in sync: ${(status.resources ?? []).filter((r: { state: string }) => r.state === 'in-sync').length}/${(status.resources ?? []).length}; probes passing: ${ok}/${probes.length || 3}`;
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

Make a change:
  cd ${repo}
  sed -i '0,/replicas: 2/s//replicas: 3/' specs/platform.yaml   # route-guide: 2 → 3 replicas
  git commit -qam "route-guide: 3 replicas"
  # within the 2 s poll interval the daemon reconciles it; watch ${url}/status

Press Ctrl-C to stop.`);
    await new Promise<void>(() => {});
    return 0;
  },
};
