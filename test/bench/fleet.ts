// Fleet cost: one `platformd run --path 'platforms/*/platform.yaml'` process with 1, 10 and 50
// platforms (network layer each, sandbox in a child process): time and AWS calls to converge from
// empty, AWS calls and daemon CPU of one no-op reconcile of every platform, and RSS once idle (every
// second for IDLE_SECONDS after the no-op: average and highest). The daemon is the production bundle
// run with its shebang's environment and node flags, as `platformd` runs for a user (tsc's build
// under Node's defaults measured 405 MiB at 50 platforms: mostly glibc keeping freed memory).
// Issue 19's goal: ≤ 300 MB for 50 platforms. Figures, not assertions.
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cpuSecondsOf, startChildSandbox } from './world.js';
import { rssMiB, shebangCommand } from './idle-daemon.js';
import { until } from '../helpers/until.js';

/** The production bundle (`npm run -s build` first). */
const CLI = 'dist/platformd.mjs';
const IDLE_SECONDS = 20;

interface Ready { platforms: { platform: string; ready: { status: string } | null }[] }
interface PlatformStatus { lastReconcile?: { startedAt: string; outcome: string } | null }

/** A repository with `n` platforms under platforms/<key>/platform.yaml (the reference spec, renamed). */
function fleetRepo(n: number): string {
  const dir = mkdtempSync(join(tmpdir(), 'platformd-bench-fleet-'));
  const reference = readFileSync('specs/platform.yaml', 'utf8');
  execFileSync('cp', ['-r', 'protos', join(dir, 'protos')]);
  for (let i = 1; i <= n; i++) {
    mkdirSync(join(dir, 'platforms', `p${i}`), { recursive: true });
    writeFileSync(join(dir, 'platforms', `p${i}`, 'platform.yaml'), reference.replace(/^  name: grpc-demo$/m, `  name: bench-p${i}`));
  }
  execFileSync('git', ['init', '-q', '-b', 'main'], { cwd: dir });
  execFileSync('git', ['add', '-A'], { cwd: dir });
  execFileSync('git', ['-c', 'user.email=b@b', '-c', 'user.name=bench', 'commit', '-qm', 'fleet'], { cwd: dir });
  return dir;
}

/** Polls `fn` (its errors count as "not yet") until it returns something; the deadline only bounds a hang. */
const eventually = <T>(what: string, deadlineMs: number, fn: () => Promise<T | undefined>): Promise<T> =>
  until(`fleet bench: ${what}`, () => fn().catch(() => undefined), deadlineMs);

export async function fleetBench(sizes: number[]): Promise<Record<string, unknown>[]> {
  const out: Record<string, unknown>[] = [];
  for (const n of sizes) {
    const repo = fleetRepo(n);
    const sandbox = await startChildSandbox();
    const endpoint = sandbox.env.AWS_ENDPOINT_URL!;
    const calls = async (since = 0) => ((await (await fetch(`${endpoint}/_sandbox/calls?since=${since}`)).json()) as { seq: number; platform?: string }[]);
    const started = Date.now();
    const { env: productionEnv, nodeFlags } = shebangCommand(CLI);
    const daemon = spawn(process.execPath, [...nodeFlags, '--no-warnings', CLI, 'run', '--repo', repo, '--path', 'platforms/*/platform.yaml', '--layers', 'network',
      '--listen', '127.0.0.1:0', '--poll-interval', '1m', '--resync-interval', '30m', '--workdir', mkdtempSync(join(tmpdir(), 'platformd-bench-work-'))],
    { env: { ...process.env, ...sandbox.env, ...productionEnv }, stdio: ['ignore', 'ignore', 'pipe'] });
    let log = '';
    daemon.stderr!.on('data', (d) => { log += d; });
    const url = await eventually('listening', 60_000, async () => /listening on (http:\/\/[0-9.:]+)/.exec(log)?.[1]);
    const status = async () => (await (await fetch(`${url}/status`)).json()) as Ready & PlatformStatus;
    const keys = Array.from({ length: n }, (_, i) => `p${i + 1}`);
    const allReady = async () => {
      if (n === 1) return (await status()).lastReconcile?.outcome === 'success' ? true : undefined;
      const s = await status();
      return s.platforms?.length === n && s.platforms.every((p) => p.ready?.status === 'True') ? true : undefined;
    };
    await eventually(`${n} platforms converged`, 600_000, allReady);
    const convergeS = (Date.now() - started) / 1000;
    const convergeCalls = (await calls()).length;

    // One no-op reconcile of every platform, triggered at once.
    await new Promise((r) => setTimeout(r, 2_000));
    const mark = (await calls()).at(-1)?.seq ?? 0;
    const cpu0 = await cpuSecondsOf(daemon.pid!);
    const triggered = new Date().toISOString();
    await fetch(`${url}/reconcile`, { method: 'POST' });
    await eventually('the no-op reconciles', 300_000, async () => {
      for (const key of keys) {
        const s = (await (await fetch(`${url}/status?platform=${key}`)).json()) as PlatformStatus;
        if (!s.lastReconcile || s.lastReconcile.startedAt < triggered || s.lastReconcile.outcome !== 'success') return undefined;
      }
      return true;
    });
    const noopCpuMs = ((await cpuSecondsOf(daemon.pid!)) - cpu0) * 1000;
    const noop = await calls(mark);
    const samples: number[] = [];
    for (let i = 0; i < IDLE_SECONDS; i++) {
      samples.push(rssMiB(daemon.pid!));
      await new Promise((r) => setTimeout(r, 1_000));
    }
    const rss = samples.reduce((a, b) => a + b, 0) / samples.length;
    if (out.length === 0) console.log(`\nFleet: one process, N platforms (network layer each; no-op = one reconcile of every platform; ${CLI} with its shebang's flags; RSS every second for ${IDLE_SECONDS} s after the no-op)\nplatforms  converge  converge-calls  no-op-calls  calls/platform  no-op-CPU  CPU/platform  RSS-avg  RSS-max`);
    out.push({ platforms: n, convergeS: +convergeS.toFixed(1), convergeCalls, noopCalls: noop.length, noopCallsPerPlatform: +(noop.length / n).toFixed(1),
      noopCpuMs: Math.round(noopCpuMs), noopCpuMsPerPlatform: +(noopCpuMs / n).toFixed(1), rssMiB: Math.round(rss), rssMaxMiB: Math.round(Math.max(...samples)) });
    printRow(out.at(-1) as Record<string, number>);
    const exited = new Promise((r) => daemon.once('exit', r));
    daemon.kill('SIGTERM');
    await exited;
    await sandbox.stop();
  }
  return out;
}

/** One row of the table, printed as soon as its size is measured. */
function printRow(r: Record<string, number>): void {
  console.log(`${String(r.platforms).padStart(9)}  ${`${r.convergeS}s`.padStart(8)}  ${String(r.convergeCalls).padStart(14)}  ${String(r.noopCalls).padStart(11)}  ${String(r.noopCallsPerPlatform).padStart(14)}  ${`${r.noopCpuMs}ms`.padStart(9)}  ${`${r.noopCpuMsPerPlatform}ms`.padStart(12)}  ${`${r.rssMiB}MiB`.padStart(7)}  ${`${r.rssMaxMiB}MiB`.padStart(7)}`);
}

if (process.argv[1]?.endsWith('fleet.ts')) {
  await fleetBench((process.env.BENCH_FLEET_SIZES ?? '1,10,50').split(',').map(Number));
  process.exit(0);
}
