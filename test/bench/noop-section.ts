// The no-op reconcile's API calls at N services, beside README's formula (test/helpers/noop-calls.ts)
// and issue 19's goal, before and after the account fills with 100 foreign certificates (10 of the
// platform's own domain), zones, clusters and ALBs; plus the plan's CPU (median of 3 [min–max]).
// The sandbox runs in a child process, so this process's CPU is platformd's alone.
import { loadavg } from 'node:os';
import { pathToFileURL } from 'node:url';
import { onApiCall } from '../../src/cloud/api-calls.js';
import { applyPlatform, planPlatform, type EngineOptions, type PlanResult } from '../../src/engine.js';
import { noopCalls, shapeOf } from '../helpers/noop-calls.js';
import { seedForeignResources } from '../helpers/foreign-resources.js';
import { engineOptionsFor, generatePlatform } from './generate.js';
import { clusterAccessFor } from '../../src/cloud/cluster-access.js';
import { showSpread, spread, startChildSandbox, type Spread } from './world.js';

/** Issue 19's goals for a no-op reconcile's calls. */
const GOALS: Record<number, number> = { 3: 45, 300: 55, 1000: 65 };

interface CountedPlan { result: PlanResult; total: number; calls: Record<string, number>; cpuS: number; failedCalls: number }

async function countedPlan(opts: EngineOptions): Promise<CountedPlan> {
  const calls: Record<string, number> = {};
  let failedCalls = 0;
  const stop = onApiCall((c) => {
    calls[`${c.service}:${c.operation}`] = (calls[`${c.service}:${c.operation}`] ?? 0) + 1;
    if (c.outcome !== 'success') failedCalls++;
  });
  const cpu0 = process.cpuUsage();
  try {
    const result = await planPlatform(opts);
    const cpu = process.cpuUsage(cpu0);
    if (result.plan.changes.length > 0) throw new Error(`the no-op plan is not empty: ${result.plan.changes.map((c) => `${c.action} ${c.id}`).slice(0, 10).join(', ')}`);
    return { result, calls, total: Object.values(calls).reduce((a, b) => a + b, 0), cpuS: (cpu.user + cpu.system) / 1e6, failedCalls };
  } finally {
    stop();
  }
}

/** Three no-op plans: their call count (a plan with a failed call, retried, is not counted) and CPU. */
async function threePlans(opts: EngineOptions): Promise<{ calls: number[]; byOperation: Record<string, number>; cpu: Spread; last: PlanResult }> {
  const plans: CountedPlan[] = [];
  for (let i = 0; i < 3; i++) plans.push(await countedPlan(opts));
  const clean = plans.filter((p) => p.failedCalls === 0);
  if (clean.length === 0) throw new Error('every no-op plan had failing calls');
  return { calls: clean.map((p) => p.total), byOperation: clean[clean.length - 1]!.calls, cpu: spread(plans.map((p) => p.cpuS)), last: plans[plans.length - 1]!.result };
}

export async function noopSection(sizes: number[]): Promise<Record<string, unknown>[]> {
  const out: Record<string, unknown>[] = [];
  for (const n of sizes) {
    const platform = generatePlatform(n);
    const sandbox = await startChildSandbox();
    try {
      Object.assign(process.env, sandbox.env);
      const opts = await engineOptionsFor(platform);
      const { spec, aws } = opts;
      const applied = await applyPlatform(opts);
      if (!applied.ok) throw new Error(`apply of ${n} services failed: ${JSON.stringify(applied.failed).slice(0, 500)}`);
      // The daemon's reconcile: its access watches the Kubernetes kinds (src/cloud/kube-watch.ts).
      const daemon = { ...opts, kube: clusterAccessFor(spec, aws, { watch: true }) };
      // The first plan after an apply reads what the apply made once (tags by ARN) and opens the
      // watches; then no-op plans.
      await planPlatform(daemon);
      const quiet = await threePlans(daemon);
      const formula = noopCalls(shapeOf(quiet.last.graph), { kubeWatched: true });
      await seedForeignResources(aws, quiet.last.observed, { count: 100, domain: spec.domain!.name, sameDomain: 10 });
      await planPlatform(daemon);
      const crowded = await threePlans(daemon);
      const listing = await threePlans(opts);
      daemon.kube.watched?.close();
      out.push({ services: n, formula, goal: GOALS[n] ?? null, calls: spread(quiet.calls), callsWith400Foreign: spread(crowded.calls),
        planCommandCalls: spread(listing.calls), planCommandFormula: noopCalls(shapeOf(listing.last.graph)),
        planCpuS: quiet.cpu, planCpuSWith400Foreign: crowded.cpu, byOperation: quiet.byOperation, loadAverage: loadavg()[0] });
    } finally {
      await sandbox.stop();
    }
  }
  console.log('\nNo-op reconcile of the daemon (AWS calls; Kubernetes watched, no call) beside the formula and the goal; plan CPU, median of 3 [min–max];');
  console.log('`platformd plan` (15 Kubernetes lists more) in the last column');
  console.log('services  formula  calls  with 400 foreign  goal        plan CPU-s           with foreign        load  platformd plan');
  for (const r of out as { services: number; formula: number; goal: number | null; calls: Spread; callsWith400Foreign: Spread; planCpuS: Spread; planCpuSWith400Foreign: Spread; loadAverage: number; planCommandCalls: Spread; planCommandFormula: number }[]) {
    const equal = r.calls.min === r.formula && r.calls.max === r.formula && r.callsWith400Foreign.min === r.formula && r.callsWith400Foreign.max === r.formula
      && r.planCommandCalls.min === r.planCommandFormula && r.planCommandCalls.max === r.planCommandFormula;
    const goal = r.goal === null ? '-' : `≤ ${r.goal} ${r.calls.median <= r.goal ? 'met' : 'NOT met'}`;
    console.log(`${String(r.services).padStart(8)}  ${String(r.formula).padStart(7)}  ${String(r.calls.median).padStart(5)}  ${String(r.callsWith400Foreign.median).padStart(16)}  ${goal.padEnd(10)}  ${showSpread(r.planCpuS, 3).padEnd(19)}  ${showSpread(r.planCpuSWith400Foreign, 3).padEnd(18)}  ${r.loadAverage.toFixed(1).padStart(4)}  ${r.planCommandCalls.median} (formula ${r.planCommandFormula})${equal ? '' : '  ≠ FORMULA'}`);
    if (!equal) throw new Error(`no-op calls at ${r.services} services differ from the formula's ${r.formula} (plan: ${r.planCommandFormula}): ${JSON.stringify({ calls: r.calls, withForeign: r.callsWith400Foreign, planCommand: r.planCommandCalls })}`);
  }
  return out;
}

// `node --import tsx test/bench/noop-section.ts 300,1000`: this section alone.
if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  await noopSection((process.argv[2] ?? '3,30').split(',').map(Number));
  process.exit(0);
}
