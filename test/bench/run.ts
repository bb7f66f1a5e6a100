// `npm run bench`: what a reconcile costs as the platform grows, what an idle daemon costs, and
// the probe's cost beside blackbox_exporter. Prints a table and writes bench-results/latest.json.
// Figures, not assertions: each section is measured in this one run so ratios are comparable.
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { onApiCall, type ApiCall } from '../../src/cloud/api-calls.js';
import { awsClients, resetAwsClients } from '../../src/cloud/aws.js';
import { clusterAccessFor } from '../../src/cloud/cluster-access.js';
import { applyPlatform, planPlatform } from '../../src/engine.js';
import { loadSpecFile } from '../../src/platform-spec/load.js';
import { withDefaults } from '../../src/platform-spec/defaults.js';
import { generatePlatform } from './generate.js';
import { startChildSandbox } from './world.js';
import { idleDaemon } from './idle-daemon.js';
import { probeSideBySide } from './probe-cost.js';
import { fleetBench } from './fleet.js';

const SIZES = (process.env.BENCH_SIZES ?? '3,30,300').split(',').map(Number);
const results: Record<string, unknown> = { machine: { cpus: cpus().length, cpu: cpus()[0]?.model, memoryGiB: Math.round(totalmem() / 2 ** 30), node: process.version }, at: new Date().toISOString() };

function countCalls<T>(fn: () => Promise<T>): Promise<{ value: T; calls: Record<string, number>; total: number }> {
  const calls: Record<string, number> = {};
  const stop = onApiCall((c: ApiCall) => { calls[`${c.service}:${c.operation}`] = (calls[`${c.service}:${c.operation}`] ?? 0) + 1; });
  return fn().then((value) => {
    stop();
    return { value, calls, total: Object.values(calls).reduce((a, b) => a + b, 0) };
  });
}

const reconcile: Record<string, unknown>[] = [];
for (const n of SIZES) {
  const platform = generatePlatform(n);
  const sandbox = await startChildSandbox();
  Object.assign(process.env, sandbox.env);
  resetAwsClients();
  const loaded = await loadSpecFile(platform.specPath, { protosDir: platform.protosDir });
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.diagnostics));
  const spec = withDefaults(loaded.spec);
  const aws = awsClients({ region: spec.region });
  const opts = { spec, aws, kube: clusterAccessFor(spec, aws), protosDir: platform.protosDir };

  // 3. Apply from empty on a zero-delay clock.
  const t0 = performance.now();
  const applied = await countCalls(() => applyPlatform(opts));
  const applyWallS = (performance.now() - t0) / 1000;
  if (!applied.value.ok) throw new Error(`apply of ${n} services failed: ${JSON.stringify(applied.value.failed).slice(0, 500)}`);
  const resources = applied.value.applied.length;
  const writes = Object.entries(applied.calls).filter(([k]) => /:(Create|Allocate|Request|Put|Attach|Associate|Update|Modify|Change|Replace|patch|create)/.test(k));
  const createCalls = Object.entries(applied.calls).filter(([k]) => /:(Create|Allocate|Request)/.test(k)).reduce((a, [, v]) => a + v, 0);

  // 1 + 2. A no-op plan against the converged sandbox: CPU, peak memory, API calls.
  const plans: number[] = [];
  let peakRss = process.memoryUsage().rss;
  const sampler = setInterval(() => { peakRss = Math.max(peakRss, process.memoryUsage().rss); }, 5);
  let noop: Awaited<ReturnType<typeof countCalls<unknown>>> | undefined;
  for (let i = 0; i < 3; i++) {
    const cpu0 = process.cpuUsage();
    const r = await countCalls(() => planPlatform(opts));
    const cpu = process.cpuUsage(cpu0);
    plans.push((cpu.user + cpu.system) / 1e6);
    if ((r.value as { plan: { changes: unknown[] } }).plan.changes.length > 0) throw new Error(`the no-op plan of ${n} services is not empty`);
    noop = r as typeof noop;
  }
  clearInterval(sampler);
  reconcile.push({
    services: n, resources, applyWallS: +applyWallS.toFixed(2), applyCalls: applied.total, createCalls,
    writesByOperation: Object.fromEntries(writes), planCpuS: +Math.min(...plans).toFixed(3), peakRssMiB: Math.round(peakRss / 2 ** 20),
    noopCalls: noop!.total, noopCallsByOperation: noop!.calls,
  });
  await sandbox.stop();
}
results.reconcile = reconcile;

console.log('\nReconcile cost (sandbox in a child process; this process runs platformd only)');
console.log('services  resources  apply-from-empty  apply-calls  create-calls  plan-CPU  peak-RSS  no-op-plan-calls');
for (const r of reconcile as any[]) {
  console.log(`${String(r.services).padStart(8)}  ${String(r.resources).padStart(9)}  ${`${r.applyWallS}s`.padStart(16)}  ${String(r.applyCalls).padStart(11)}  ${String(r.createCalls).padStart(12)}  ${`${r.planCpuS}s`.padStart(8)}  ${`${r.peakRssMiB}MiB`.padStart(8)}  ${String(r.noopCalls).padStart(16)}`);
}
for (const r of reconcile as any[]) {
  console.log(`\nNo-op plan calls with ${r.services} services:`);
  for (const [k, v] of Object.entries(r.noopCallsByOperation).sort()) console.log(`  ${k.padEnd(48)} ${v}`);
}

if (process.env.BENCH_SKIP_IDLE !== '1') {
  results.idleDaemon = await idleDaemon([3, 300].filter((n) => SIZES.includes(n) || n === 3), Number(process.env.BENCH_IDLE_SECONDS ?? 60));
}
if (process.env.BENCH_SKIP_FLEET !== '1') results.fleet = await fleetBench((process.env.BENCH_FLEET_SIZES ?? '1,10,50').split(',').map(Number));
results.probeCost = await probeSideBySide(Number(process.env.BENCH_PROBES ?? 500), Number(process.env.BENCH_PROBE_RATE ?? 25), Number(process.env.BENCH_PROBE_RUNS ?? 3));

mkdirSync('bench-results', { recursive: true });
writeFileSync('bench-results/latest.json', JSON.stringify(results, null, 2));
console.log('\nwrote bench-results/latest.json');
process.exit(0);
