// `platformd graph FILE`: the desired graph as DOT or Mermaid; no AWS calls.
import { EXIT_USAGE, defineCommand } from './command.js';
import { loadSpecOrReport } from './spec-args.js';
import { buildDesiredGraph } from '../graph/build.js';
import { GRAPH_FORMATS, renderGraph, type GraphFormat } from '../graph/render-graph.js';
import { LAYER_ORDER } from '../resources/registry.js';

export const command = defineCommand({
  summary: 'print the platform\'s desired resource graph as DOT or Mermaid (no AWS calls)',
  usage: `Usage: platformd graph FILE [--format dot|mermaid] [--protos DIR]

Prints the resources FILE describes and their dependencies (explicit ones and every value one
resource takes from another's outputs), grouped by layer: network, IAM, EKS, cluster objects,
ALB, DNS and certificates. Edges point from a resource to what it depends on, as in
\`terraform graph\`. Reads only FILE and the .proto files; makes no AWS call.

Options:
  --format FORMAT   dot (Graphviz, the default) or mermaid (a flowchart GitHub and GitLab render)
  --protos DIR      directory of .proto files (default: protos/ of the repository holding FILE)
  -h, --help        show this help

Exit status: 0 on success, 1 when FILE is invalid, 64 on a usage error.

Examples:
  platformd graph specs/platform.yaml | dot -Tsvg > platform.svg
  platformd graph specs/platform.yaml --format mermaid`,
  options: { format: { type: 'string' }, protos: { type: 'string' } },
  async run({ positionals, values }) {
    const [file, ...extra] = positionals;
    if (!file || extra.length > 0) {
      console.error('platformd graph: expected exactly one FILE\n\n' + this.usage);
      return EXIT_USAGE;
    }
    const format = (values.format ?? 'dot') as GraphFormat;
    if (!GRAPH_FORMATS.includes(format)) {
      console.error(`platformd graph: unknown --format ${String(values.format)}; choose from ${GRAPH_FORMATS.join(', ')}\n\n${this.usage}`);
      return EXIT_USAGE;
    }
    const loaded = await loadSpecOrReport(file, values.protos);
    if (!loaded) return 1;
    const graph = buildDesiredGraph(loaded.spec, LAYER_ORDER, { protosDir: loaded.protosDir });
    process.stdout.write(renderGraph(graph, format));
    return 0;
  },
});
