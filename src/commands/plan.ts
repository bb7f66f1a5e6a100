// `platformd plan FILE`: what apply would change, read-only.
import { EXIT_USAGE, defineCommand } from './command.js';
import { awsClients } from '../cloud/aws.js';
import { platformRegion } from '../cloud/region.js';
import { planPlatform } from '../engine.js';
import { renderPlanText } from '../plan/render-text.js';
import { renderPlanJson } from '../plan/render-json.js';
import { renderPlanMarkdown } from '../plan/render-markdown.js';
import { loadSpecOrReport, parseLayers } from './spec-args.js';
import { clusterAccessFor } from '../cloud/cluster-access.js';
import type { ApplyEventSubscriber } from '../apply/events.js';
import { progressLine } from '../apply/progress-text.js';
import { readingProgress } from '../apply/reading-progress.js';
import { specFileHash, writePlanFile } from './saved-plan-io.js';

export const command = defineCommand({
  summary: 'show what apply would change (reads live state, changes nothing)',
  usage: `Usage: platformd plan FILE [--format text|json|markdown] [--layers L1,L2] [--protos DIR] [--detailed-exitcode]

Reads the live state of every resource the spec describes (one batched read per kind) and prints
the changes apply would make: + create, ~ update, - delete, -/+ replace (delete, then create), ! blocked, with field-level
differences and the reason for each. Changes nothing.

Options:
  --format F           text (default), json (format_version 2.1) or markdown (a pull-request
                       comment: counts, blocked changes first, a section per layer, under 65,536 characters)
  --json               the same as --format json
  --layers L1,L2       only these layers: network, iam, eks, kube, edge (default: all)
  --protos DIR         directory of .proto files (default: protos/ of the repository holding FILE)
  --out PLANFILE       also save the plan, with what it was made from, for \`platformd apply PLANFILE\`
                       (which applies exactly it, or refuses if the spec or live state moved); -out works too
  --detailed-exitcode  exit 2 when the plan has changes (0 = none, 1 = error, 64 = usage error)
  -h, --help           show this help

AWS region comes from the spec; credentials and endpoints from the SDK's standard chain
(AWS_PROFILE, AWS_ACCESS_KEY_ID, AWS_ENDPOINT_URL, ...).

Example:
  platformd plan specs/platform.yaml --layers network`,
  options: { json: { type: 'boolean' }, format: { type: 'string' }, layers: { type: 'string' }, protos: { type: 'string' }, 'detailed-exitcode': { type: 'boolean' }, out: { type: 'string' } },
  async run({ positionals, values }) {
    const [file] = positionals;
    if (!file || positionals.length > 1) {
      console.error('platformd plan: expected exactly one FILE\n\n' + this.usage);
      return EXIT_USAGE;
    }
    const layers = parseLayers(values.layers);
    if (typeof layers === 'string') {
      console.error(`platformd plan: ${layers}`);
      return EXIT_USAGE;
    }
    const format = values.format ?? (values.json ? 'json' : 'text');
    if (!['text', 'json', 'markdown'].includes(format)) {
      console.error(`platformd plan: --format must be text, json or markdown, not ${JSON.stringify(format)}`);
      return EXIT_USAGE;
    }
    const specSha256 = await specFileHash(file);
    const loaded = await loadSpecOrReport(file, values.protos);
    if (!loaded) return 1;
    const aws = awsClients({ region: platformRegion(loaded) });
    // Retries while reading live state show on stderr (operation, attempt, next try), so a slow
    // or failing endpoint is visible long before the plan ends.
    const reading = readingProgress();
    const onEvent: ApplyEventSubscriber = (e) => {
      const line = reading(e) ?? (e.type === 'retry' ? progressLine(e) : undefined);
      if (line) console.error(line);
    };
    const planned = await planPlatform({ spec: loaded.spec, aws, kube: clusterAccessFor(loaded.spec, aws), layers, protosDir: loaded.protosDir, onEvent });
    const { plan } = planned;
    if (values.out && specSha256) {
      await writePlanFile(values.out, planned, { file, sha256: specSha256, protosDir: loaded.protosDir, layers });
      console.error(`Saved the plan to ${values.out}: \`platformd apply ${values.out}\` applies exactly it, or refuses if the spec or live state moved.`);
    }
    console.log(format === 'json' ? renderPlanJson(plan) : format === 'markdown' ? renderPlanMarkdown(plan, { title: file }) : renderPlanText(plan, { color: process.stdout.isTTY }));
    return values['detailed-exitcode'] && plan.changes.length > 0 ? 2 : 0;
  },
});
