// `npm run bench`: what a no-op reconcile and an apply from empty cost as the platform grows, what an
// idle daemon and a fleet cost, and the probe's cost beside blackbox_exporter. Each figure is printed
// beside its goal (issue 19) and written to bench-results/latest.json; a section whose figures cannot
// be trusted (probes failing, the sandbox's CPU in a figure labelled platformd's, calls ≠ formula)
// fails, the others still run, and the exit code says so.
//   BENCH_SIZES=3,30,300,1000  BENCH_SKIP_{NOOP,APPLY,IDLE,FLEET,PROBE}=1  BENCH_PROBE_JIT=1 (probers under the default JIT too)
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { noopSection } from './noop-section.js';
import { idleDaemon } from './idle-daemon.js';
import { probeSideBySide, tsxCommand } from './probe-cost.js';
import { fleetBench } from './fleet.js';

const SIZES = (process.env.BENCH_SIZES ?? '3,30,300').split(',').map(Number);
const results: Record<string, unknown> = { machine: { cpus: cpus().length, cpu: cpus()[0]?.model, memoryGiB: Math.round(totalmem() / 2 ** 30), node: process.version, loadAverageAtStart: loadavg() }, at: new Date().toISOString() };

/**
 * test/bench/apply-cost.ts in its own process (it owns its sandbox children and exits with its
 * verdict), with production's node flags and malloc settings: platformd's CPU as `platformd` spends it.
 */
function applySection(sizes: number[]): Promise<unknown> {
  const json = join(mkdtempSync(join(tmpdir(), 'platformd-bench-apply-')), 'apply.json');
  const { nodeArgs, env } = tsxCommand('production');
  const child = spawn(process.execPath, [...nodeArgs, 'test/bench/apply-cost.ts'],
    { stdio: ['ignore', 'inherit', 'inherit'], env: { ...process.env, ...env, BENCH_SIZES: sizes.join(','), BENCH_APPLY_JSON: json } });
  return new Promise((resolve, reject) => child.once('exit', (code) => {
    const figures: unknown = existsSync(json) ? JSON.parse(readFileSync(json, 'utf8')) : undefined;
    if (code === 0) resolve(figures);
    else reject(new Error(`apply-cost exited ${code}: ${JSON.stringify((figures as { sandboxDominated?: unknown } | undefined)?.sandboxDominated ?? 'no figures')}`));
  }));
}

const failures: string[] = [];
/** One section: its figures, or its failure (a goal the bench refuses to call met, probes that failed), kept apart so the others still run. */
async function section(name: string, skip: boolean, measure: () => Promise<unknown>): Promise<void> {
  if (skip) return;
  try {
    results[name] = await measure();
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    results[name] = { failed: message };
    failures.push(`${name}: ${message}`);
    console.error(`\nbench section ${name} FAILED: ${message}`);
  }
}

const skipped = (name: string) => process.env[`BENCH_SKIP_${name}`] === '1';
await section('noop', skipped('NOOP'), () => noopSection(SIZES));
await section('applyCost', skipped('APPLY'), () => applySection(SIZES.filter((n) => n >= 30)));
await section('idleDaemon', skipped('IDLE'), () => idleDaemon([3, 300].filter((n) => SIZES.includes(n) || n === 3), Number(process.env.BENCH_IDLE_SECONDS ?? 60)));
await section('fleet', skipped('FLEET'), () => fleetBench((process.env.BENCH_FLEET_SIZES ?? '1,10,50').split(',').map(Number)));
await section('probeCost', skipped('PROBE'), () => probeSideBySide(Number(process.env.BENCH_PROBES ?? 500), Number(process.env.BENCH_PROBE_RATE ?? 25), Number(process.env.BENCH_PROBE_RUNS ?? 3),
  process.env.BENCH_PROBE_JIT === '1'));
results.loadAverageAtEnd = loadavg();

mkdirSync('bench-results', { recursive: true });
writeFileSync('bench-results/latest.json', JSON.stringify(results, null, 2));
console.log('\nwrote bench-results/latest.json');
if (failures.length > 0) console.error(`\n${failures.length} section(s) failed:\n${failures.join('\n')}`);
process.exit(failures.length > 0 ? 1 : 0);
