// The corpus of broken specs: each gives a clear error at the right line and column.
import t from 'tap';
import { loadSpecFile } from '../../../src/platform-spec/load.js';
import { formatDiagnostic } from '../../../src/platform-spec/diagnostics.js';

// The EKS calendar is read for a fixed day, so the corpus means the same thing next year.
const TODAY = new Date('2026-11-30T12:00:00Z');

const cases: { file: string; reason: string; code: string; line: number; column: number; summary: RegExp; protosDir?: string; single?: true }[] = [
  { file: 'yaml-syntax.yaml', reason: 'a YAML syntax error is reported where the parser stopped', code: 'SPEC_YAML', line: 12, column: 3, summary: /Flow sequence/ },
  { file: 'wrong-type.yaml', reason: 'a string where an integer belongs names the field and the value', code: 'SPEC_SCHEMA', line: 47, column: 15, summary: /"replicas" must be an integer, not string "two"/ },
  { file: 'unknown-field.yaml', reason: 'an unknown field points at its key and suggests the near miss', code: 'SPEC_SCHEMA', line: 47, column: 5, summary: /unknown field "replica" \(did you mean "replicas"\?\)/ },
  { file: 'overlapping-cidrs.yaml', reason: 'overlapping subnets name both subnets', code: 'SPEC_CIDR_OVERLAP', line: 15, column: 56, summary: /public-c \(10\.0\.8\.0\/21\) overlaps subnet public-a/ },
  { file: 'subnet-outside-vpc.yaml', reason: 'a subnet outside the VPC says so', code: 'SPEC_CIDR_OUTSIDE_VPC', line: 20, column: 57, summary: /not inside the VPC/ },
  { file: 'one-zone.yaml', reason: 'subnets in one zone are refused', code: 'SPEC_ZONES', line: 14, column: 7, summary: /at least two/ },
  { file: 'duplicate-service.yaml', reason: 'a duplicate service name points at the second declaration', code: 'SPEC_DUPLICATE_SERVICE', line: 59, column: 11, summary: /already declared at \/services\/0/ },
  { file: 'unknown-proto-service.yaml', reason: 'an unknown proto service lists what exists', code: 'SPEC_UNKNOWN_PROTO_SERVICE', line: 63, column: 18, summary: /no service helloworld\.Greeterr/ },
  { file: 'streaming-probe-method.yaml', reason: 'a probe on a streaming method is refused', code: 'SPEC_PROBE_STREAMING', line: 68, column: 15, summary: /streaming/ },
  { file: 'probe-redial-zero.yaml', reason: 'a probe that would never dial (redialEvery 0) is refused', code: 'SPEC_SCHEMA', line: 58, column: 20, summary: /"redialEvery" must be >= 1/, single: true },
  // What ELBv2 and EKS would refuse (issue 14 point 6), each caught before any AWS call.
  { file: 'grpc-success-codes.yaml', reason: 'HTTP success codes on a gRPC health check are refused (ALB takes 0–99)', code: 'SPEC_GRPC_SUCCESS_CODES', line: 43, column: 19, summary: /0–99; "200-499" is outside/, single: true },
  { file: 'health-check-interval-range.yaml', reason: 'a health-check interval over 300 s is refused', code: 'SPEC_HEALTH_CHECK_RANGE', line: 43, column: 15, summary: /interval must be 5–300 s, not 10m/, single: true },
  { file: 'health-check-timeout-range.yaml', reason: 'a health-check timeout under 2 s is refused', code: 'SPEC_HEALTH_CHECK_RANGE', line: 44, column: 14, summary: /timeout must be 2–120 s, not 1s/, single: true },
  { file: 'health-check-timeout-order.yaml', reason: 'a health-check timeout not shorter than its interval is refused', code: 'SPEC_HEALTH_CHECK_TIMEOUT', line: 44, column: 14, summary: /timeout \(10 s\) must be shorter than its interval \(10 s\)/, single: true },
  { file: 'health-check-whole-seconds.yaml', reason: '500ms where the ALB takes seconds is refused, not rounded', code: 'SPEC_WHOLE_SECONDS', line: 43, column: 15, summary: /500ms is not a whole number of seconds/, single: true },
  { file: 'alb-path-too-long.yaml', reason: 'a proto service whose ALB path pattern exceeds 128 characters is refused', code: 'SPEC_ALB_PATH_LENGTH', line: 47, column: 18, summary: /is 135 characters; .* at most 128/, protosDir: 'test/fixtures/specs/long-path-protos', single: true },
  { file: 'mixed-architectures.yaml', reason: 'x86_64 and Graviton instance types in one node group are refused', code: 'SPEC_MIXED_ARCHITECTURES', line: 32, column: 22, summary: /mixes x86_64 \(m6i\.large\) and arm64 \(m7g\.large\)/, single: true },
  { file: 'k8s-version-gone.yaml', reason: 'a Kubernetes version past EKS extended support is refused', code: 'SPEC_K8S_VERSION', line: 25, column: 12, summary: /ended extended support for Kubernetes 1\.31 on 2026-11-26/, single: true },
  { file: 'k8s-extended-standard-policy.yaml', reason: 'an extended-support version with upgradePolicy STANDARD is refused', code: 'SPEC_K8S_VERSION', line: 25, column: 12, summary: /1\.33 left EKS standard support on 2026-07-29; with upgradePolicy STANDARD \(the default\)/, single: true },
];

for (const c of cases) {
  t.test(c.reason, async (t) => {
    const result = await loadSpecFile(`test/fixtures/specs/bad/${c.file}`, { protosDir: c.protosDir ?? 'protos', today: TODAY });
    t.equal(result.ok, false);
    if (c.single) t.equal(result.diagnostics.length, 1, `this rule alone: ${result.diagnostics.map(formatDiagnostic).join('\n')}`);
    const d = result.diagnostics.find((x) => x.code === c.code);
    t.ok(d, `a ${c.code} diagnostic among: ${result.diagnostics.map(formatDiagnostic).join('\n')}`);
    if (!d) return;
    t.match(d.summary, c.summary);
    t.equal(d.line, c.line, 'line');
    t.equal(d.column, c.column, 'column');
    t.match(formatDiagnostic(d), new RegExp(`^test/fixtures/specs/bad/${c.file.replace('.', '\\.')}:${c.line}:${c.column}: error: `));
  });
}

t.test('a version only in extended support, paid for with upgradePolicy EXTENDED, is valid with a warning', async (t) => {
  const result = await loadSpecFile('test/fixtures/specs/warning/k8s-extended-support.yaml', { protosDir: 'protos', today: TODAY });
  t.equal(result.ok, true, 'a warning does not reject the spec');
  t.equal(result.diagnostics.length, 1);
  const [d] = result.diagnostics;
  t.match(d, { severity: 'warning', code: 'SPEC_K8S_EXTENDED_SUPPORT', line: 25, column: 12 });
  t.match(formatDiagnostic(d!), /^test\/fixtures\/specs\/warning\/k8s-extended-support\.yaml:25:12: warning: Kubernetes 1\.33 is in EKS extended support .* until 2027-07-29/);
});

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
    // Read on the real clock: when this fails, EKS's calendar moved on (update src/platform-spec/eks-versions.ts,
    // the sandbox's eks/versions.ts and the specs' cluster.version).
    t.same(result.diagnostics.map(formatDiagnostic), [], `${file}: no warnings (a Kubernetes version in EKS standard support today)`);
  }
});
