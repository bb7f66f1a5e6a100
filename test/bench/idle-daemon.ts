// Idle daemon cost: RSS and CPU of `platformd run` over a period after the platform has
// converged — the reference platform (specs/platform.yaml, 3 services, probes every 5 s) and a
// generated one with N services probed every second, /metrics scraped every 15 s. The daemon runs from the production bundle
// (dist/platformd.mjs) with the environment and V8 flags of its shebang, as `platformd` runs for a user; the
// sandbox runs in a child process of its own. Probes must pass: a window with a failed probe fails.
//
// Alone: node --import tsx test/bench/idle-daemon.ts [--cli dist/cli.js] [--node-flags '…'] [--env 'NAME=value …'] [--runs 3] [--seconds 60] [--sizes 3]
import { execFileSync, spawn } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { generatePlatform } from './generate.js';
import { cpuSecondsOf, startChildSandbox } from './world.js';

/** A /metrics scrape this often in the window, as Prometheus would (more often than its usual 30 s). */
const SCRAPE_EVERY_SECONDS = 15;

/** Issue 19's goal for the reference platform's idle daemon. */
export const IDLE_RSS_GOAL_MB = 100;
const MIB_PER_MB = 1_000_000 / (1024 * 1024);

export interface IdleOptions {
  /** The CLI to run (default: the production bundle). */
  cli?: string;
  /** Measurements per size; the table shows the median with min and max. */
  runs?: number;
  /** Node flags and environment instead of the CLI's shebang's (to measure their effect). */
  nodeFlags?: string[];
  env?: Record<string, string>;
}

export interface IdleRun {
  probes: number;
  seconds: number;
  cpuSeconds: number;
  rssMiBAvg: number;
  rssMiBMax: number;
  probesRun: number;
  probesFailed: number;
  /** CPU from start to converged with probes running (apply from empty of the whole platform). */
  convergeCpuSeconds: number;
  /** Peak RSS since start, converging included. */
  peakRssMiB: number;
  /** Every one-second RSS sample of the window (MiB), to see when a peak happened. */
  rssSeries: number[];
}

/** VmRSS (now) or VmHWM (the peak since start: converging included) of a process, from /proc. */
export function rssMiB(pid: number, field: 'VmRSS' | 'VmHWM' = 'VmRSS'): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((l) => l.startsWith(`${field}:`))!;
  return Number(line.replace(/\D+/g, '')) / 1024;
}

/** The environment and node flags a `#!/usr/bin/env -S NAME=value… node <flags>` shebang gives the CLI. */
export function shebangCommand(cli: string): { env: Record<string, string>; nodeFlags: string[] } {
  const first = readFileSync(cli, 'utf8').split('\n', 1)[0] ?? '';
  const words = first.startsWith('#!') ? first.slice(2).trim().split(/\s+/) : [];
  const node = words.findIndex((w) => w === 'node' || w.endsWith('/node'));
  if (node < 0) return { env: {}, nodeFlags: [] };
  const env = Object.fromEntries(words.slice(0, node).filter((w) => /^\w+=/.test(w)).map((w) => [w.slice(0, w.indexOf('=')), w.slice(w.indexOf('=') + 1)]));
  return { env, nodeFlags: words.slice(node + 1) };
}

/** A git repository holding the reference platform (3 services) or a generated one. */
function platformRepo(services: number): string {
  let dir: string;
  if (services === 3) {
    dir = mkdtempSync(join(tmpdir(), 'platformd-bench-ref-'));
    cpSync('protos', join(dir, 'protos'), { recursive: true });
    mkdirSync(join(dir, 'specs'));
    cpSync('specs/platform.yaml', join(dir, 'specs', 'platform.yaml'));
  } else {
    dir = generatePlatform(services, '1s').dir;
  }
  execFileSync('git', ['init', '-q', '-b', 'main'], { cwd: dir });
  execFileSync('git', ['add', '-A'], { cwd: dir });
  execFileSync('git', ['-c', 'user.email=b@b', '-c', 'user.name=bench', 'commit', '-qm', 'bench'], { cwd: dir });
  return dir;
}

async function measureOnce(services: number, seconds: number, cli: string, nodeFlags: string[], env: Record<string, string>): Promise<IdleRun> {
  const repo = platformRepo(services);
  const sandbox = await startChildSandbox();
  const daemon = spawn(process.execPath, [...nodeFlags, '--no-warnings', cli, 'run', '--repo', repo, '--listen', '127.0.0.1:0', '--dns-server', sandbox.dns,
    '--ca-file', sandbox.caFile, '--probe-port', sandbox.albPort, '--poll-interval', '1m', '--resync-interval', '10m', '--workdir', mkdtempSync(join(tmpdir(), 'platformd-bench-work-'))],
  { env: { ...process.env, ...sandbox.env, ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
  try {
    let log = '';
    daemon.stderr!.on('data', (d) => { log += d; });
    const waitStart = Date.now();
    while (!/listening on (http:\/\/[0-9.:]+)/.test(log)) {
      if (daemon.exitCode !== null || Date.now() - waitStart > 60_000) throw new Error(`daemon did not start:\n${log.slice(-2000)}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    const url = /listening on (http:\/\/[0-9.:]+)/.exec(log)![1]!;
    for (;;) {
      const s = await fetch(`${url}/status`).then((r) => r.json() as Promise<{ lastReconcile?: { outcome?: string }; probes?: { success: boolean }[] }>).catch(() => undefined);
      // Converged, and every probe has passed once (the first ones run before DNS has the records).
      if (s?.lastReconcile?.outcome === 'success' && s.probes?.length === services && s.probes.every((p) => p.success)) break;
      if (daemon.exitCode !== null || Date.now() - waitStart > 240_000) throw new Error(`daemon did not converge with ${services} probes: ${JSON.stringify(s?.lastReconcile ?? {}).slice(0, 500)}\n${log.slice(-1500)}`);
      await new Promise((r) => setTimeout(r, 500));
    }
    const probesBefore = await probeCounts(url);
    const cpu0 = await cpuSecondsOf(daemon.pid!);
    const convergeCpuSeconds = +cpu0.toFixed(2);
    const rss: number[] = [];
    const started = Date.now();
    while (Date.now() - started < seconds * 1000) {
      // Prometheus scrapes a real daemon (kube-prometheus's default interval is 30 s): its garbage
      // belongs in the figure.
      if (rss.length % SCRAPE_EVERY_SECONDS === 0) await (await fetch(`${url}/metrics`)).text();
      rss.push(rssMiB(daemon.pid!));
      await new Promise((r) => setTimeout(r, 1000));
    }
    const cpu = (await cpuSecondsOf(daemon.pid!)) - cpu0;
    const peakRssMiB = Math.round(rssMiB(daemon.pid!, 'VmHWM'));
    const probesAfter = await probeCounts(url);
    return { probes: services, seconds, cpuSeconds: +cpu.toFixed(2), rssMiBAvg: Math.round(rss.reduce((a, b) => a + b, 0) / rss.length), rssMiBMax: Math.round(Math.max(...rss)),
      probesRun: probesAfter.total - probesBefore.total, probesFailed: (probesAfter.total - probesAfter.success) - (probesBefore.total - probesBefore.success), convergeCpuSeconds, peakRssMiB,
      rssSeries: rss.map((v) => +v.toFixed(1)) };
  } finally {
    const exited = new Promise((r) => daemon.once('exit', r));
    if (daemon.exitCode === null) daemon.kill('SIGTERM');
    await exited;
    await sandbox.stop();
  }
}

export async function idleDaemon(sizes: number[], seconds: number, options: IdleOptions = {}): Promise<Record<string, unknown>[]> {
  const cli = options.cli ?? 'dist/platformd.mjs';
  const runs = options.runs ?? 3;
  const nodeFlags = options.nodeFlags ?? shebangCommand(cli).nodeFlags;
  const env = options.env ?? shebangCommand(cli).env;
  const shown = [...Object.entries(env).map(([k, v]) => `${k}=${v}`), ...nodeFlags].join(' ');
  const out: Record<string, unknown>[] = [];
  for (const n of sizes) {
    const measured: IdleRun[] = [];
    for (let i = 0; i < runs; i++) measured.push(await measureOnce(n, seconds, cli, nodeFlags, env));
    const probesRun = measured.reduce((a, r) => a + r.probesRun, 0);
    const probesFailed = measured.reduce((a, r) => a + r.probesFailed, 0);
    const cpu = measured.map((r) => r.cpuSeconds);
    const convergeCpu = measured.map((r) => r.convergeCpuSeconds);
    const avg = measured.map((r) => r.rssMiBAvg);
    const max = measured.map((r) => r.rssMiBMax);
    out.push({ probes: n, seconds, runs, cli, nodeFlags: shown, cpuSeconds: median(cpu), cpuSecondsMin: Math.min(...cpu), cpuSecondsMax: Math.max(...cpu),
      cpuPercent: +((median(cpu) / seconds) * 100).toFixed(1), rssMiBAvg: median(avg), rssMiBAvgMin: Math.min(...avg), rssMiBAvgMax: Math.max(...avg),
      rssMiBMax: median(max), rssMiBMaxMax: Math.max(...max), probesRun, probesFailed, probeSuccessPercent: probesRun ? +((100 * (probesRun - probesFailed)) / probesRun).toFixed(1) : null,
      cpuMsPerProbe: probesRun ? +((cpu.reduce((a, b) => a + b, 0) * 1000) / probesRun).toFixed(3) : null,
      peakRssMiB: median(measured.map((r) => r.peakRssMiB)), convergeCpuSeconds: median(convergeCpu), convergeCpuSecondsMin: Math.min(...convergeCpu), convergeCpuSecondsMax: Math.max(...convergeCpu),
      goalRssMB: n === 3 ? IDLE_RSS_GOAL_MB : null, runsMeasured: measured });
  }
  console.log(`\nIdle daemon (${shown} ${cli}; converged; median of ${runs} runs [min–max])`);
  console.log('probes  seconds  CPU-s             RSS-avg MiB     RSS-max MiB  probes-run  success  converge-CPU-s    peak-RSS  goal');
  for (const r of out as { probes: number; seconds: number; cpuSeconds: number; cpuSecondsMin: number; cpuSecondsMax: number; rssMiBAvg: number; rssMiBAvgMin: number; rssMiBAvgMax: number;
    rssMiBMax: number; rssMiBMaxMax: number; probesRun: number; probeSuccessPercent: number | null; goalRssMB: number | null;
    convergeCpuSeconds: number; convergeCpuSecondsMin: number; convergeCpuSecondsMax: number; peakRssMiB: number }[]) {
    const goal = r.goalRssMB === null ? '' : `RSS ≤ ${r.goalRssMB} MB (${Math.floor(r.goalRssMB * MIB_PER_MB)} MiB): ${r.rssMiBMaxMax <= r.goalRssMB * MIB_PER_MB ? 'met' : 'NOT met'}`;
    console.log(`${String(r.probes).padStart(6)}  ${String(r.seconds).padStart(7)}  ${`${r.cpuSeconds} [${r.cpuSecondsMin}–${r.cpuSecondsMax}]`.padEnd(16)}  ${`${r.rssMiBAvg} [${r.rssMiBAvgMin}–${r.rssMiBAvgMax}]`.padEnd(14)}  `
      + `${`${r.rssMiBMax} [≤${r.rssMiBMaxMax}]`.padEnd(11)}  ${String(r.probesRun).padStart(10)}  ${`${r.probeSuccessPercent ?? '-'}%`.padStart(7)}  ${`${r.convergeCpuSeconds} [${r.convergeCpuSecondsMin}–${r.convergeCpuSecondsMax}]`.padEnd(16)}  ${`${r.peakRssMiB}MiB`.padStart(8)}  ${goal}`);
  }
  for (const r of out as { probes: number; runsMeasured: IdleRun[] }[]) {
    for (const [i, run] of r.runsMeasured.entries()) console.log(`  ${r.probes} services, run ${i + 1}: RSS each second (MiB) ${run.rssSeries.join(' ')}`);
  }
  const failing = (out as { probes: number; probesFailed: number; probesRun: number }[]).filter((r) => r.probesFailed > 0 || r.probesRun === 0);
  if (failing.length) throw new Error(`idle daemon: probes did not pass (${failing.map((r) => `${r.probes} services: ${r.probesFailed} of ${r.probesRun} failed`).join('; ')}) — the figures measure a failing daemon`);
  return out;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) / 2)]!;
}

/** platformd_probes_total summed over services: all results, and result="success" alone. */
async function probeCounts(url: string): Promise<{ total: number; success: number }> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const lines = text.split('\n').filter((l) => l.startsWith('platformd_probes_total{'));
  const sum = (ls: string[]) => ls.reduce((a, l) => a + Number(l.split(' ').pop()), 0);
  return { total: sum(lines), success: sum(lines.filter((l) => l.includes('result="success"'))) };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const { values } = parseArgs({ options: { cli: { type: 'string' }, runs: { type: 'string' }, seconds: { type: 'string' }, sizes: { type: 'string' }, 'node-flags': { type: 'string' }, env: { type: 'string' } } });
  await idleDaemon((values.sizes ?? '3').split(',').map(Number), Number(values.seconds ?? 60), { cli: values.cli, runs: Number(values.runs ?? 3),
    nodeFlags: values['node-flags'] === undefined ? undefined : values['node-flags'].split(' ').filter(Boolean),
    env: values.env === undefined ? undefined : Object.fromEntries(values.env.split(' ').filter(Boolean).map((w) => [w.slice(0, w.indexOf('=')), w.slice(w.indexOf('=') + 1)])) });
}
