// `platformd validate FILE`: every problem in a platform.yaml, with file:line:column; no AWS call.
import { EXIT_USAGE, defineCommand } from './command.js';
import { loadSpecFile } from '../platform-spec/load.js';
import { formatDiagnostic } from '../platform-spec/diagnostics.js';

export const command = defineCommand({
  summary: 'check a platform.yaml against the schema and the semantic rules (no AWS calls)',
  usage: `Usage: platformd validate FILE [--protos DIR] [--json]

Checks FILE against schema/platform.schema.json and the rules the schema cannot express (CIDRs,
zones, unique names, proto services that exist under protos/, probe methods) or that AWS would
refuse (gRPC health-check codes and timings, ALB path length, node group architecture, Kubernetes
versions in EKS's calendar), and prints every problem at once as file:line:column. Warnings (a
version in EKS extended support) are printed but do not fail. Makes no AWS call.

Options:
  --protos DIR   directory of .proto files (default: protos/ of the repository holding FILE)
  --json         print the diagnostics as JSON
  -h, --help     show this help

Exit status: 0 when valid, 1 when not, 2 on a usage error.

Example:
  platformd validate specs/platform.yaml`,
  options: { protos: { type: 'string' }, json: { type: 'boolean' } },
  async run({ positionals, values }) {
    const [file, ...extra] = positionals;
    if (!file || extra.length > 0) {
      console.error('platformd validate: expected exactly one FILE\n\n' + this.usage);
      return EXIT_USAGE;
    }
    const result = await loadSpecFile(file, { protosDir: values.protos });
    if (values.json) {
      console.log(JSON.stringify({ valid: result.ok, diagnostics: result.diagnostics }, null, 2));
    } else {
      for (const d of result.diagnostics) console.error(formatDiagnostic(d));
      if (result.ok) console.log(`${file}: valid (${result.spec.services.length} services)`);
      else console.error(`${file}: ${result.diagnostics.filter((d) => d.severity === 'error').length} error(s)`);
    }
    return result.ok ? 0 : 1;
  },
});
