// `platformd apply FILE`: plan, confirm, then carry the plan out with visible progress.
import { createInterface } from 'node:readline/promises';
import { EXIT_USAGE, defineCommand } from './command.js';
import { awsClients } from '../cloud/aws.js';
import { platformRegion } from '../cloud/region.js';
import { applyPlatform, planPlatform } from '../engine.js';
import { renderPlanText } from '../plan/render-text.js';
import { loadSpecOrReport, parseLayers } from './spec-args.js';
import { clusterAccessFor } from '../cloud/cluster-access.js';
import { readPlanFile, staleness } from './saved-plan-io.js';
import { applySummaryLines } from '../apply/summary-text.js';
import { outputLines, platformOutputs } from '../plan/outputs.js';
import { interruptibleRun } from './interruptible-run.js';
import { lockTarget, takeApplyLock, type ApplyLock } from '../leader/apply-lock.js';

export const command = defineCommand({
  summary: 'plan, confirm, and apply the changes in dependency order',
  usage: `Usage: platformd apply FILE [--auto-approve] [--layers L1,L2] [--concurrency N] [--protos DIR]
       platformd apply PLANFILE [--concurrency N]

Plans like \`platformd plan\`, shows the plan, asks for confirmation on a terminal, then applies it:
network → IAM → EKS → cluster add-ons and controller → services and Ingress → ALB → certificate
and DNS, independent resources in parallel, waiting for each to be ready with progress lines,
retrying throttling and transient errors. Re-running after an interruption converges without
duplicates. Failures stop only what depends on them; every failure is listed at the end.

Given a plan saved by \`platformd plan --out PLANFILE\`, applies exactly that plan without asking:
it reads live state again and refuses, naming what moved, when the spec file or any resource the
plan touches changed since, or when planning now would give different changes.

Options:
  --auto-approve     do not ask for confirmation (required when stdin is not a terminal)
  --layers L1,L2     only these layers: network, iam, eks, kube, edge (default: all)
  --concurrency N    resources worked on at once (default 8)
  --protos DIR       directory of .proto files (default: protos/ of the repository holding FILE)
  --lease-kubeconfig FILE
                     lock the platform with its Lease (platformd-<name>) in this cluster, the one
                     \`platformd run --leader-elect\` holds (PLATFORMD_LEASE_KUBECONFIG); without it a
                     local lock file ($XDG_RUNTIME_DIR/platformd/, else the temp directory) locks
  --lease-namespace NS
                     namespace of the Lease (default: default)
  --force-unlock     take the lock even though another apply or daemon holds it
  -h, --help         show this help

Exit status: 0 when every change succeeded or there was nothing to do, 1 otherwise.`,
  options: { 'auto-approve': { type: 'boolean' }, layers: { type: 'string' }, concurrency: { type: 'string' }, protos: { type: 'string' },
    'lease-kubeconfig': { type: 'string' }, 'lease-namespace': { type: 'string' }, 'force-unlock': { type: 'boolean' } },
  async run({ positionals, values }) {
    const [file] = positionals;
    if (!file || positionals.length > 1) {
      console.error('platformd apply: expected exactly one FILE\n\n' + this.usage);
      return EXIT_USAGE;
    }
    const layers = parseLayers(values.layers);
    if (typeof layers === 'string') {
      console.error(`platformd apply: ${layers}`);
      return EXIT_USAGE;
    }
    const concurrency = values.concurrency ? Number(values.concurrency) : 8;
    if (!Number.isInteger(concurrency) || concurrency < 1) {
      console.error('platformd apply: --concurrency must be a positive integer');
      return EXIT_USAGE;
    }
    const saved = await readPlanFile(file);
    if (saved && (values.layers || values.protos)) {
      console.error('platformd apply: a saved plan carries its own layers and protos; --layers and --protos do not apply to it');
      return EXIT_USAGE;
    }
    const refuse = (moved: string[]) => {
      console.error(`platformd apply: refusing the saved plan ${file}: what it was made from moved since ${saved!.createdAt}:\n${moved.map((m) => `  - ${m}`).join('\n')}\nNothing was changed. Make a new plan (platformd plan --out ${file} ${saved!.spec.file}) and review it.`);
      return 1;
    };
    if (saved) {
      const moved = await staleness(saved, undefined);
      if (moved.length > 0) return refuse(moved);
    }
    const loaded = await loadSpecOrReport(saved ? saved.spec.file : file, saved ? saved.spec.protosDir : values.protos);
    if (!loaded) return 1;
    // Two applies (or an apply and the daemon) on one platform never run at once.
    const taken = await takeApplyLock({ platform: loaded.spec.metadata.name, specFile: saved ? saved.spec.file : file, target: lockTarget(platformRegion(loaded)), forceUnlock: Boolean(values['force-unlock']),
      kubeconfig: values['lease-kubeconfig'] ?? (process.env.PLATFORMD_LEASE_KUBECONFIG || undefined), namespace: values['lease-namespace'] });
    if ('refused' in taken) {
      console.error(`platformd apply: ${taken.refused}`);
      return 1;
    }
    const lock: ApplyLock = taken;
    console.error(`Locked platform ${loaded.spec.metadata.name}: ${lock.describe}.`);
    try {
      const aws = awsClients({ region: platformRegion(loaded) });
      const run = interruptibleRun('re-run apply to converge');
      const { onEvent } = run;
      const signal = lock.lost ? AbortSignal.any([run.signal, lock.lost]) : run.signal;
      const options = { spec: loaded.spec, aws, kube: clusterAccessFor(loaded.spec, aws), layers: saved ? saved.spec.layers : layers, protosDir: loaded.protosDir, concurrency, signal, onEvent, fence: lock.fence };
      const planned = await planPlatform(options);
      if (saved) {
        const moved = await staleness(saved, planned);
        if (moved.length > 0) return refuse(moved);
        console.error(`Applying the saved plan ${file} (made ${saved.createdAt}): the spec and the live state it touches are as they were.`);
      }
      console.log(renderPlanText(planned.plan, { color: process.stdout.isTTY }));
      if (planned.plan.changes.length === 0) return 0;
      if (!saved && !values['auto-approve']) {
        if (!process.stdin.isTTY) {
          console.error('platformd apply: stdin is not a terminal; pass --auto-approve to apply without confirmation.');
          return 1;
        }
        const rl = createInterface({ input: process.stdin, output: process.stderr });
        const answer = await rl.question('\nApply these changes? Only "yes" is accepted: ');
        rl.close();
        if (answer.trim() !== 'yes') {
          console.error('Apply cancelled.');
          return 1;
        }
      }
      const result = await applyPlatform({ ...options, plan: planned });
      console.log('');
      for (const line of applySummaryLines(result)) console.log(line);
      for (const line of outputLines(platformOutputs(result.resources ?? []))) console.log(line);
      return result.ok ? 0 : 1;
    } finally {
      await lock.release();
    }
  },
});
