// `npm start`: the product on the sandbox, end to end, for a newcomer. Starts the emulated world,
// plans and applies specs/platform.yaml with visible progress, and prints the plan and the result.
import type { Command } from './command.js';
import { startSandbox } from '../sandbox/world.js';
import { awsClients } from '../cloud/aws.js';
import { applyPlatform, planPlatform } from '../engine.js';
import { renderPlanText } from '../plan/render-text.js';
import { progressLine } from '../apply/progress-text.js';
import { loadSpecOrReport, parseLayers } from './spec-args.js';
import { clusterAccessFor } from '../cloud/cluster-access.js';

export const command: Command = {
  summary: 'run the whole demo on the sandbox (what `npm start` does)',
  usage: `Usage: platformd demo [--spec specs/platform.yaml] [--layers network] [--time-scale 0.0167]

Starts the emulated world, plans specs/platform.yaml against it, applies the plan with progress
lines, and shows that a second plan is empty.

Options:
  --spec FILE        the platform to apply (default specs/platform.yaml)
  --layers L1,L2     layers to apply (default: network,iam,eks)
  --time-scale X     real seconds per emulated second (default 0.0167)
  -h, --help         show this help`,
  options: { spec: { type: 'string' }, layers: { type: 'string' }, 'time-scale': { type: 'string' } },
  async run({ values }) {
    const layers = parseLayers(values.layers ?? 'network,iam,eks');
    if (typeof layers === 'string') {
      console.error(`platformd demo: ${layers}`);
      return 2;
    }
    const file = values.spec ?? 'specs/platform.yaml';
    const loaded = await loadSpecOrReport(file);
    if (!loaded) return 1;
    const sandbox = await startSandbox({ timeScale: values['time-scale'] !== undefined ? Number(values['time-scale']) : 1 / 60 });
    Object.assign(process.env, sandbox.env());
    console.log(`Sandbox: emulated AWS on ${sandbox.endpoint} (account ${sandbox.aws.accountId}, region ${loaded.spec.region})`);
    try {
      const aws = awsClients({ region: loaded.spec.region });
      const options = { spec: loaded.spec, aws, kube: clusterAccessFor(loaded.spec, aws), layers, protosDir: loaded.protosDir };
      console.log(`\nPlan for ${file} (layers: ${layers.join(', ')}):\n`);
      const planned = await planPlatform(options);
      console.log(renderPlanText(planned.plan, { color: process.stdout.isTTY }));
      console.log('\nApplying…');
      const result = await applyPlatform({ ...options, plan: planned, onEvent: (e) => {
        const line = progressLine(e);
        if (line) console.log(`  ${line}`);
      } });
      console.log(`\nApply ${result.ok ? 'complete' : 'finished with problems'} in ${(result.durationMs / 1000).toFixed(1)}s: ${result.applied.length} applied, ${result.failed.length} failed, ${result.skipped.length} skipped.`);
      for (const f of result.failed) console.log(`  failed: ${f.id}: ${f.error}`);
      const again = await planPlatform(options);
      console.log(`\nA second plan against the same account:\n${renderPlanText(again.plan)}`);
      return result.ok && again.plan.changes.length === 0 ? 0 : 1;
    } finally {
      await sandbox.close();
    }
  },
};
