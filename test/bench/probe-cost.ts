// The probe's cost beside Prometheus blackbox_exporter's grpc module, like for like: one TLS gRPC
// health endpoint (a grpc-js server in its own process), probed at the same rate in the same
// window by blackbox_exporter (which dials and handshakes for every probe) and by platformd's
// prober cold (redialEvery 1: a new connection and TLS handshake per probe, blackbox's terms),
// warm (one channel for the whole run) and at the spec's default redialEvery. Each prober runs in
// its own process; CPU-seconds per 1000 probes (from /proc, or the child's own cpuUsage from its
// first probe), p50/p99 latency and the success rate. Three runs or more; medians with min and max.
// platformd's probers run with production's environment and V8 flags (interpreter only, a 1 MiB
// young generation: scripts/production-runtime.mjs), since that is what the daemon spends; with
// BENCH_PROBE_JIT=1 the same probers also run under Node's default JIT, interleaved, for comparison.
// Every probe must pass: a failing probe is cheap and would make every figure a lie.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import YAML from 'yaml';
import { PRODUCTION_ENV, PRODUCTION_NODE_FLAGS } from '../../scripts/production-runtime.mjs';
import { SandboxCa } from '../../src/sandbox/ca.js';
import { cpuSecondsOf, percentile } from './world.js';

/** The spec's default probe.redialEvery (schema/platform.schema.json). */
const DEFAULT_REDIAL_EVERY = 10;
const WARM = 1_000_000_000;
/** Rows measured under Node's default JIT rather than production's flags carry this after their name. */
const JIT_SUFFIX = ' (JIT)';

interface Run { cpuSecondsPer1000: number; p50Ms: number; p99Ms: number; successRate: number; wallS: number; serverCpuSecondsPer1000: number; dials?: number; firstFailure?: string }
interface Figure { median: number; min: number; max: number }
export interface ProbeSection { prober: string; redialEvery?: number; runs: Run[]; cpuSecondsPer1000: Figure; p50Ms: Figure; p99Ms: Figure; successRate: number; serverCpuSecondsPer1000: Figure }

const round = (v: number, digits = 3) => +v.toFixed(digits);
function figure(values: number[]): Figure {
  const sorted = [...values].sort((a, b) => a - b);
  return { median: round(sorted[Math.floor(sorted.length / 2)]!), min: round(sorted[0]!), max: round(sorted.at(-1)!) };
}

function readLine(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d) => {
      out += d;
      if (out.includes('\n')) resolve(out.split('\n')[0]!);
    });
    child.once('exit', (code) => reject(new Error(`${child.spawnargs.join(' ')} exited (${code}) before answering: ${out}`)));
  });
}

/** How a prober's node runs: as the production daemon does, or with Node's defaults (the JIT). */
export type Runtime = 'production' | 'default JIT';
/** node's flags before the script, and the environment added to this process's, for a TypeScript file run under `runtime`. */
export function tsxCommand(runtime: Runtime): { nodeArgs: string[]; env: Record<string, string> } {
  return runtime === 'production'
    ? { nodeArgs: [...PRODUCTION_NODE_FLAGS, '--no-warnings', '--import', 'tsx'], env: { ...PRODUCTION_ENV } }
    : { nodeArgs: ['--no-warnings', '--import', 'tsx'], env: {} };
}
const tsx = (file: string, args: string[], runtime: Runtime = 'default JIT') => {
  const { nodeArgs, env } = tsxCommand(runtime);
  return spawn(process.execPath, [...nodeArgs, file, ...args], { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, ...env } });
};

async function startBlackbox(dir: string, caFile: string): Promise<{ port: number; child: ChildProcess }> {
  writeFileSync(join(dir, 'blackbox.yml'), YAML.stringify({ modules: { grpc_tls: { prober: 'grpc', timeout: '5s', grpc: { tls: true, preferred_ip_protocol: 'ip4', tls_config: { ca_file: caFile } } } } }));
  const port = 20000 + Math.floor(Math.random() * 20000);
  const child = spawn('prometheus-blackbox-exporter', [`--config.file=${join(dir, 'blackbox.yml')}`, `--web.listen-address=127.0.0.1:${port}`], { stdio: 'ignore' });
  for (let i = 0; i < 100; i++) {
    if (await fetch(`http://127.0.0.1:${port}/-/healthy`).then((r) => r.ok, () => false)) return { port, child };
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill('SIGTERM');
  throw new Error('blackbox_exporter did not start (is prometheus-blackbox-exporter installed?)');
}

async function blackboxRun(bb: { port: number; child: ChildProcess }, target: string, total: number, rate: number): Promise<Omit<Run, 'serverCpuSecondsPer1000'>> {
  const latencies: number[] = [];
  const failures: string[] = [];
  const cpu0 = await cpuSecondsOf(bb.child.pid!);
  const t0 = Date.now();
  await Promise.all(Array.from({ length: total }, async (_, i) => {
    await new Promise((r) => setTimeout(r, i * (1000 / rate)));
    const text = await (await fetch(`http://127.0.0.1:${bb.port}/probe?module=grpc_tls&target=${target}&debug=true`)).text();
    if (!/^probe_success 1/m.test(text)) failures.push(text.slice(0, 300));
    latencies.push(Number(/^probe_duration_seconds (\S+)/m.exec(text)?.[1] ?? NaN) * 1000);
  }));
  const cpu = (await cpuSecondsOf(bb.child.pid!)) - cpu0;
  return { cpuSecondsPer1000: (cpu / total) * 1000, p50Ms: percentile(latencies, 50), p99Ms: percentile(latencies, 99), successRate: (total - failures.length) / total,
    wallS: (Date.now() - t0) / 1000, ...(failures[0] ? { firstFailure: failures[0] } : {}) };
}

async function platformdRun(target: string, caFile: string, total: number, rate: number, redialEvery: number, runtime: Runtime): Promise<Omit<Run, 'serverCpuSecondsPer1000'>> {
  const child = tsx('test/bench/prober-child.ts', [target, caFile, String(total), String(rate), String(redialEvery)], runtime);
  const mine = JSON.parse(await readLine(child)) as { cpuSeconds: number; p50Ms: number; p99Ms: number; successes: number; dials: number; wallS: number; firstFailure?: string };
  return { cpuSecondsPer1000: (mine.cpuSeconds / total) * 1000, p50Ms: mine.p50Ms, p99Ms: mine.p99Ms, successRate: mine.successes / total, wallS: mine.wallS, dials: mine.dials,
    ...(mine.firstFailure ? { firstFailure: mine.firstFailure } : {}) };
}

export async function probeSideBySide(total: number, ratePerSecond: number, runs = 3, alsoDefaultJit = false): Promise<Record<string, unknown>> {
  const ca = await SandboxCa.create();
  const dir = mkdtempSync(join(tmpdir(), 'platformd-bench-probe-'));
  const caFile = join(dir, 'ca.pem');
  writeFileSync(caFile, ca.certPem);
  const cert = await ca.issue(['localhost'], ['127.0.0.1']);
  writeFileSync(join(dir, 'server.pem'), cert.certPem);
  writeFileSync(join(dir, 'server.key'), cert.keyPem);
  const server = tsx('test/bench/health-server-child.ts', [join(dir, 'server.pem'), join(dir, 'server.key')]);
  const target = `localhost:${(JSON.parse(await readLine(server)) as { port: number }).port}`;
  const bb = await startBlackbox(dir, caFile);

  const platformdProbers = (runtime: Runtime, suffix: string) => [
    { prober: `platformd cold${suffix}`, redialEvery: 1, run: () => platformdRun(target, caFile, total, ratePerSecond, 1, runtime) },
    { prober: `platformd warm${suffix}`, redialEvery: WARM, run: () => platformdRun(target, caFile, total, ratePerSecond, WARM, runtime) },
    { prober: `platformd redialEvery ${DEFAULT_REDIAL_EVERY}${suffix}`, redialEvery: DEFAULT_REDIAL_EVERY,
      run: () => platformdRun(target, caFile, total, ratePerSecond, DEFAULT_REDIAL_EVERY, runtime) },
  ];
  const probers: { prober: string; redialEvery?: number; run: () => Promise<Omit<Run, 'serverCpuSecondsPer1000'>> }[] = [
    { prober: 'blackbox_exporter', run: () => blackboxRun(bb, target, total, ratePerSecond) },
    ...platformdProbers('production', ''),
    ...(alsoDefaultJit ? platformdProbers('default JIT', JIT_SUFFIX) : []),
  ];
  const measured = new Map<string, Run[]>(probers.map((p) => [p.prober, []]));
  const loadAverages: number[] = [];
  try {
    // Interleaved (one of each per round), so a load spike on the shared machine touches all alike.
    for (let round = 0; round < runs; round++) {
      loadAverages.push(loadavg()[0]!);
      for (const p of probers) {
        const server0 = await cpuSecondsOf(server.pid!);
        const r = await p.run();
        measured.get(p.prober)!.push({ ...r, serverCpuSecondsPer1000: (((await cpuSecondsOf(server.pid!)) - server0) / total) * 1000 });
      }
    }
  } finally {
    bb.child.kill('SIGTERM');
    server.kill('SIGTERM');
  }

  const sections: ProbeSection[] = probers.map((p) => {
    const rs = measured.get(p.prober)!;
    return { prober: p.prober, ...(p.redialEvery !== undefined && p.redialEvery !== WARM ? { redialEvery: p.redialEvery } : {}), runs: rs,
      cpuSecondsPer1000: figure(rs.map((r) => r.cpuSecondsPer1000)), p50Ms: figure(rs.map((r) => r.p50Ms)), p99Ms: figure(rs.map((r) => r.p99Ms)),
      successRate: Math.min(...rs.map((r) => r.successRate)), serverCpuSecondsPer1000: figure(rs.map((r) => r.serverCpuSecondsPer1000)) };
  });
  const cpuOf = (name: string) => sections.find((s) => s.prober === name)!.cpuSecondsPer1000.median;
  const blackbox = cpuOf('blackbox_exporter');
  const ratios = {
    coldToBlackbox: { value: round(cpuOf('platformd cold') / blackbox, 2), goal: 1.0 },
    warmToBlackbox: { value: round(cpuOf('platformd warm') / blackbox, 2), goal: 0.5 },
    defaultToBlackbox: { value: round(cpuOf(`platformd redialEvery ${DEFAULT_REDIAL_EVERY}`) / blackbox, 2) },
    ...(alsoDefaultJit ? {
      coldToBlackboxUnderJit: { value: round(cpuOf(`platformd cold${JIT_SUFFIX}`) / blackbox, 2) },
      warmToBlackboxUnderJit: { value: round(cpuOf(`platformd warm${JIT_SUFFIX}`) / blackbox, 2) },
    } : {}),
  };

  console.log(`\nProbe cost: ${total} probes of a TLS gRPC health endpoint (own process) at ${ratePerSecond}/s, each prober in its own process;`);
  console.log(`median of ${runs} interleaved runs [min–max]; load average at each round ${loadAverages.map((l) => l.toFixed(2)).join(', ')}`);
  console.log(`platformd runs with production's ${[...Object.entries(PRODUCTION_ENV).map(([k, v]) => `${k}=${v}`), ...PRODUCTION_NODE_FLAGS].join(' ')}`
    + `${alsoDefaultJit ? `; rows marked${JIT_SUFFIX} with Node's default JIT` : ''}`);
  const nameWidth = Math.max(26, ...sections.map((s) => s.prober.length));
  console.log(`${'prober'.padEnd(nameWidth)}  CPU-s/1000 probes        p50-ms                 p99-ms                 success  server CPU-s/1000`);
  const cell = (f: Figure, width: number) => `${f.median} [${f.min}–${f.max}]`.padEnd(width);
  for (const s of sections) {
    console.log(`${s.prober.padEnd(nameWidth)}  ${cell(s.cpuSecondsPer1000, 23)}  ${cell(s.p50Ms, 21)}  ${cell(s.p99Ms, 21)}  ${`${round(s.successRate * 100, 1)}%`.padStart(7)}  ${cell(s.serverCpuSecondsPer1000, 20)}`);
  }
  const verdict = (v: number, goal: number) => (v <= goal ? 'meets the goal' : 'ABOVE the goal');
  console.log(`platformd cold / blackbox_exporter CPU: ${ratios.coldToBlackbox.value}× (goal ≤ ${ratios.coldToBlackbox.goal}×: ${verdict(ratios.coldToBlackbox.value, ratios.coldToBlackbox.goal)})`);
  console.log(`platformd warm / blackbox_exporter CPU: ${ratios.warmToBlackbox.value}× (goal ≤ ${ratios.warmToBlackbox.goal}×: ${verdict(ratios.warmToBlackbox.value, ratios.warmToBlackbox.goal)})`);
  console.log(`platformd at the default redialEvery ${DEFAULT_REDIAL_EVERY} / blackbox_exporter CPU: ${ratios.defaultToBlackbox.value}×`);
  if (ratios.coldToBlackboxUnderJit && ratios.warmToBlackboxUnderJit) {
    console.log(`under the default JIT (not what production runs): cold ${ratios.coldToBlackboxUnderJit.value}×, warm ${ratios.warmToBlackboxUnderJit.value}×`);
  }

  const failing = sections.filter((s) => s.successRate < 1);
  if (failing.length > 0) {
    const why = failing.map((s) => `${s.prober}: ${round(s.successRate * 100, 1)} % passed; first failure: ${s.runs.find((r) => r.firstFailure)?.firstFailure}`);
    throw new Error(`probe cost: probes failed, so the figures measure failures, not probes —\n${why.join('\n')}`);
  }
  return { probes: total, ratePerSecond, runs, runtime: { env: PRODUCTION_ENV, nodeFlags: PRODUCTION_NODE_FLAGS }, loadAverages, sections, ratios };
}

// `npx tsx test/bench/probe-cost.ts [probes] [rate] [runs]`: this section alone (BENCH_PROBE_JIT=1: the JIT rows too).
if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const [probes, rate, runs] = process.argv.slice(2).map(Number);
  const result = await probeSideBySide(probes || 1000, rate || 50, runs || 3, process.env.BENCH_PROBE_JIT === '1');
  if (process.env.PROBE_COST_JSON) writeFileSync(process.env.PROBE_COST_JSON, JSON.stringify(result, null, 2));
  process.exit(0);
}
