// The corpus of broken specs: each gives a clear error at the right line and column.
import t from 'tap';
import { loadSpecFile } from '../../../src/spec/load.js';
import { formatDiagnostic } from '../../../src/spec/diagnostics.js';

const cases: { file: string; reason: string; code: string; line: number; column: number; summary: RegExp }[] = [
  { file: 'yaml-syntax.yaml', reason: 'a YAML syntax error is reported where the parser stopped', code: 'SPEC_YAML', line: 12, column: 3, summary: /Flow sequence/ },
  { file: 'wrong-type.yaml', reason: 'a string where an integer belongs names the field and the value', code: 'SPEC_SCHEMA', line: 47, column: 15, summary: /"replicas" must be an integer, not string "two"/ },
  { file: 'unknown-field.yaml', reason: 'an unknown field points at its key and suggests the near miss', code: 'SPEC_SCHEMA', line: 47, column: 5, summary: /unknown field "replica" \(did you mean "replicas"\?\)/ },
  { file: 'overlapping-cidrs.yaml', reason: 'overlapping subnets name both subnets', code: 'SPEC_CIDR_OVERLAP', line: 15, column: 56, summary: /public-c \(10\.0\.8\.0\/21\) overlaps subnet public-a/ },
  { file: 'subnet-outside-vpc.yaml', reason: 'a subnet outside the VPC says so', code: 'SPEC_CIDR_OUTSIDE_VPC', line: 20, column: 57, summary: /not inside the VPC/ },
  { file: 'one-zone.yaml', reason: 'subnets in one zone are refused', code: 'SPEC_ZONES', line: 14, column: 7, summary: /at least two/ },
  { file: 'duplicate-service.yaml', reason: 'a duplicate service name points at the second declaration', code: 'SPEC_DUPLICATE_SERVICE', line: 59, column: 11, summary: /already declared at \/services\/0/ },
  { file: 'unknown-proto-service.yaml', reason: 'an unknown proto service lists what exists', code: 'SPEC_UNKNOWN_PROTO_SERVICE', line: 63, column: 18, summary: /no service helloworld\.Greeterr/ },
  { file: 'streaming-probe-method.yaml', reason: 'a probe on a streaming method is refused', code: 'SPEC_PROBE_STREAMING', line: 68, column: 15, summary: /streaming/ },
];

for (const c of cases) {
  t.test(c.reason, async (t) => {
    const result = await loadSpecFile(`test/fixtures/specs/bad/${c.file}`, { protosDir: 'protos' });
    t.equal(result.ok, false);
    const d = result.diagnostics.find((x) => x.code === c.code);
    t.ok(d, `a ${c.code} diagnostic among: ${result.diagnostics.map(formatDiagnostic).join('\n')}`);
    if (!d) return;
    t.match(d.summary, c.summary);
    t.equal(d.line, c.line, 'line');
    t.equal(d.column, c.column, 'column');
    t.match(formatDiagnostic(d), new RegExp(`^test/fixtures/specs/bad/${c.file.replace('.', '\\.')}:${c.line}:${c.column}: error: `));
  });
}

t.test('every error is reported at once', async (t) => {
  const result = await loadSpecFile('test/fixtures/specs/bad/wrong-type.yaml', { protosDir: 'protos' });
  t.equal(result.diagnostics.length, 3, 'one per service');
});

t.test('the reference platform and every example validate', async (t) => {
  const { readdirSync } = await import('node:fs');
  const files = ['specs/platform.yaml', ...readdirSync('specs/examples').filter((f) => f.endsWith('.yaml')).map((f) => `specs/examples/${f}`)];
  for (const file of files) {
    const result = await loadSpecFile(file);
    t.ok(result.ok, `${file}: ${result.diagnostics.map(formatDiagnostic).join('\n')}`);
  }
});
