// `platformd destroy FILE`: plan the deletion of everything the platform owns (the engine's plan
// of the teardown spec: FILE's metadata, region and deletion opt-ins), show it in the order the
// deletions run, confirm, and carry it out. Like `terraform destroy`, but deletion.allow still
// guards stateful infrastructure unless --allow-all opts every category in.
import { createInterface } from 'node:readline/promises';
import { EXIT_USAGE, defineCommand } from './command.js';
import { awsClients } from '../cloud/aws.js';
import { platformRegion } from '../cloud/region.js';
import { applyPlatform, deletionKindOrder, planPlatform, type ApplyResult } from '../engine.js';
import { renderPlanText } from '../plan/render-text.js';
import { loadSpecOrReport } from './spec-args.js';
import { clusterAccessFor } from '../cloud/cluster-access.js';
import { applySummaryLines } from '../apply/summary-text.js';
import { interruptibleRun } from './interruptible-run.js';
import { blockedCategories, DELETION_CATEGORIES, inDeletionOrder, teardownSpec } from '../plan/teardown.js';
import { withDefaults } from '../platform-spec/defaults.js';
import type { Plan } from '../plan/types.js';

export const command = defineCommand({
  summary: 'plan, confirm, and delete everything the platform owns',
  usage: `Usage: platformd destroy FILE [--auto-approve] [--allow-all] [--concurrency N] [--protos DIR]

Plans the deletion of every resource the platform named in FILE owns (found by its ownership tags
and labels, whatever the rest of FILE says): the hosted zone, the Ingress (so the load balancer
controller removes its ALB, target groups and security groups), the certificate, the other
workloads and the controller, node groups, add-ons, the cluster, IAM, and the network last.
Shows the plan in that order, asks for confirmation on a terminal, then deletes, waiting for
each deletion to finish.

Deleting stateful infrastructure (${DELETION_CATEGORIES.join(', ')})
needs FILE's deletion.allow; what it does not allow is shown as ! (blocked) and left in place.
--allow-all opts every category in for this run, and the plan says so.
Resources platformd did not create (adopted VPCs, hosted zones) are never deleted.

Options:
  --auto-approve     do not ask for confirmation (required when stdin is not a terminal)
  --allow-all        allow deleting every category (${DELETION_CATEGORIES.join(', ')})
  --concurrency N    resources worked on at once (default 8)
  --protos DIR       directory of .proto files (default: protos/ of the repository holding FILE)
  -h, --help         show this help

Exit status: 0 when every owned resource was deleted or there was none, 1 when a deletion failed,
was blocked or was not confirmed, ${EXIT_USAGE} on a usage error.`,
  options: { 'auto-approve': { type: 'boolean' }, 'allow-all': { type: 'boolean' }, concurrency: { type: 'string' }, protos: { type: 'string' } },
  async run({ positionals, values }) {
    const [file] = positionals;
    if (!file || positionals.length > 1) {
      console.error('platformd destroy: expected exactly one FILE\n\n' + this.usage);
      return EXIT_USAGE;
    }
    const concurrency = values.concurrency ? Number(values.concurrency) : 8;
    if (!Number.isInteger(concurrency) || concurrency < 1) {
      console.error('platformd destroy: --concurrency must be a positive integer');
      return EXIT_USAGE;
    }
    const loaded = await loadSpecOrReport(file, values.protos);
    if (!loaded) return 1;
    const allowAll = values['allow-all'] === true;
    // The teardown spec desires nothing; resolved like any spec so the engine reads its defaults.
    const spec = withDefaults(teardownSpec(loaded.spec, { allowAll }));
    const aws = awsClients({ region: platformRegion({ spec }) });
    const { signal, onEvent } = interruptibleRun('re-run destroy to finish');
    const options = { spec, aws, kube: clusterAccessFor(spec, aws), protosDir: loaded.protosDir, concurrency, signal, onEvent };
    const planned = await planPlatform(options);
    const ordered: Plan = { ...planned.plan, changes: inDeletionOrder(planned.plan.changes, deletionKindOrder()), operatorActions: [] };
    console.log(header(spec.metadata.name, allowAll, blockedCategories(spec)));
    if (ordered.changes.length === 0) {
      console.log(`Nothing to destroy: no resource owned by platform ${spec.metadata.name} was found.`);
      return 0;
    }
    console.log(renderPlanText(ordered, { color: process.stdout.isTTY }));
    const runnable = ordered.changes.filter((c) => c.action !== '!').length;
    if (runnable > 0 && !values['auto-approve']) {
      if (!process.stdin.isTTY) {
        console.error('platformd destroy: stdin is not a terminal; pass --auto-approve to destroy without confirmation. Nothing was deleted.');
        return 1;
      }
      const rl = createInterface({ input: process.stdin, output: process.stderr });
      const answer = await rl.question(`\nDelete these ${runnable} resources of platform ${spec.metadata.name}? There is no undo. Only "yes" is accepted: `);
      rl.close();
      if (answer.trim() !== 'yes') {
        console.error('Destroy cancelled. Nothing was deleted.');
        return 1;
      }
    }
    const result = runnable > 0 ? await applyPlatform({ ...options, plan: { ...planned, plan: ordered } }) : undefined;
    console.log('');
    for (const line of result ? applySummaryLines(result).map((l) => l.replace(/^Apply /, 'Destroy ')) : []) console.log(line);
    for (const line of leftInPlace(ordered, result)) console.log(line);
    return result?.ok ? 0 : 1;
  },
});

/** The plan's first line: which platform, and which categories may be deleted in this run. */
function header(platform: string, allowAll: boolean, blocked: readonly string[]): string {
  if (allowAll) return `Destroy plan for platform ${platform} (--allow-all: deletion allowed for every category: ${DELETION_CATEGORIES.join(', ')}):`;
  if (blocked.length === 0) return `Destroy plan for platform ${platform} (deletion.allow opts in every category):`;
  return `Destroy plan for platform ${platform} (not allowed by deletion.allow, so left in place: ${blocked.join(', ')}; --allow-all to delete them too):`;
}

/** What stays owned after the run: the blocked deletions, named. */
function leftInPlace(plan: Plan, result: ApplyResult | undefined): string[] {
  const blocked = plan.changes.filter((c) => c.action === '!');
  if (blocked.length === 0) return [];
  const lines = [`Left in place (blocked): ${blocked.length} ${blocked.length === 1 ? 'resource' : 'resources'}${result ? '' : '; nothing else to delete'}.`];
  for (const c of blocked) lines.push(`  ! ${c.id}: ${c.blockedBy ?? c.reason}`);
  return lines;
}
