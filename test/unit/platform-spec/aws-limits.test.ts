// The rules behind the AWS-limit diagnostics, case by case (the corpus in bad-specs.test.ts shows
// each one end to end with its line and column).
import t from 'tap';
import { grpcSuccessCodesProblem } from '../../../src/platform-spec/aws-limits.js';
import { eksSupport, standardVersions } from '../../../src/platform-spec/eks-versions.js';
import { amiTypeFor, instanceArchitecture } from '../../../src/platform-spec/instance-architecture.js';
import { loadSpecText } from '../../../src/platform-spec/load.js';
import { buildEks } from '../../../src/graph/eks.js';
import { referenceSpec } from '../../helpers/specs.js';
import { readFileSync } from 'node:fs';

const TODAY = new Date('2026-11-30T12:00:00Z');

t.test('gRPC success codes: ALB grammar', async (t) => {
  const accepted: [string, string][] = [
    ['one code', '0'], ['the ALB default', '12'], ['the widest range', '0-99'], ['a list', '0,12'], ['a degenerate range', '5-5'],
  ];
  for (const [reason, text] of accepted) t.equal(grpcSuccessCodesProblem(text), undefined, `${reason}: "${text}"`);
  const refused: [string, string, RegExp][] = [
    ['HTTP codes', '200-499', /0–99/], ['one HTTP code', '200', /200 is not/], ['a list with one too high', '0,100', /100 is not/],
    ['a backwards range', '5-2', /runs backwards/], ['a range inside a list', '0,2-5', /not a gRPC matcher/], ['two dashes', '1-2-3', /not a gRPC matcher/],
  ];
  for (const [reason, text, why] of refused) t.match(grpcSuccessCodesProblem(text), why, `${reason}: "${text}"`);
});

t.test('instance type → architecture → AMI type', async (t) => {
  const cases: [string, 'x86_64' | 'arm64'][] = [
    ['m6i.large', 'x86_64'], ['m5.xlarge', 'x86_64'], ['c6a.large', 'x86_64'], ['g4dn.xlarge', 'x86_64'], ['x2idn.16xlarge', 'x86_64'], ['hpc6a.48xlarge', 'x86_64'],
    ['m7g.large', 'arm64'], ['c7gn.large', 'arm64'], ['t4g.medium', 'arm64'], ['r8g.large', 'arm64'], ['im4gn.large', 'arm64'], ['is4gen.large', 'arm64'],
    ['x2gd.large', 'arm64'], ['g5g.xlarge', 'arm64'], ['hpc7g.4xlarge', 'arm64'], ['a1.large', 'arm64'], ['m6gd.large', 'arm64'],
  ];
  for (const [type, arch] of cases) t.equal(instanceArchitecture(type), arch, type);
  t.same(amiTypeFor(['m6i.large', 'm5.large']), { amiType: 'AL2023_x86_64_STANDARD' });
  t.same(amiTypeFor(['m7g.large', 'c7g.large']), { amiType: 'AL2023_ARM_64_STANDARD' });
  t.same(amiTypeFor(['m6i.large', 'm7g.large']), { mixed: { x86_64: ['m6i.large'], arm64: ['m7g.large'] } });
});

t.test('the node group AMI type is derived from its instance types', async (t) => {
  const spec = await referenceSpec((s) => {
    s.cluster!.nodeGroups = [
      { ...s.cluster!.nodeGroups[0]!, name: 'x86' },
      { ...s.cluster!.nodeGroups[0]!, name: 'graviton', instanceTypes: ['m7g.large', 'c7g.large'] },
    ];
  });
  const amiTypes = Object.fromEntries(buildEks(spec).filter((n) => n.kind === 'eks/nodegroup').map((n) => [n.id, (n.properties as { amiType: string }).amiType]));
  t.same(amiTypes, { 'eks/nodegroup/x86': 'AL2023_x86_64_STANDARD', 'eks/nodegroup/graviton': 'AL2023_ARM_64_STANDARD' });
});

t.test('EKS calendar on 2026-11-30', async (t) => {
  t.same(standardVersions(TODAY), ['1.36', '1.35', '1.34']);
  t.equal(eksSupport('1.34', TODAY).status, 'standard', '1.34 until 2026-12-02');
  t.equal(eksSupport('1.34', new Date('2026-12-02T00:00:00Z')).status, 'extended', 'and extended from that day');
  t.equal(eksSupport('1.33', TODAY).status, 'extended');
  t.equal(eksSupport('1.32', TODAY).status, 'extended');
  t.match(eksSupport('1.31', TODAY), { status: 'unavailable', reason: /ended extended support .* 2026-11-26/ });
  t.match(eksSupport('1.37', TODAY), { status: 'unavailable', reason: /no Kubernetes 1\.37/ });
  t.match(eksSupport('1.36', new Date('2026-05-01T00:00:00Z')), { status: 'unavailable', reason: /releases Kubernetes 1\.36 on/ });
});

/** The reference spec text with `edit` applied, validated on TODAY. */
function validate(edit: (text: string) => string) {
  return loadSpecText(edit(readFileSync('specs/platform.yaml', 'utf8')), 'platform.yaml', { protosDir: 'protos', today: TODAY });
}

t.test('health-check order uses the controller defaults for the side the spec leaves out', async (t) => {
  const withHc = (body: string) => validate((s) => s.replace('ingress:\n  scheme: internet-facing\n', `ingress:\n  scheme: internet-facing\n  healthCheck:\n${body}`));
  const intervalOnly = withHc('    interval: 5s\n');
  t.match(intervalOnly.diagnostics, [{ code: 'SPEC_HEALTH_CHECK_TIMEOUT', path: '/ingress/healthCheck/interval', summary: /timeout \(5 s, the default\) must be shorter than its interval \(5 s\)/ }],
    'interval 5 s against the default 5 s timeout');
  t.match(withHc('    timeout: 20s\n').diagnostics, [{ code: 'SPEC_HEALTH_CHECK_TIMEOUT', summary: /interval \(15 s, the default\)/ }], 'timeout 20 s against the default 15 s interval');
  t.equal(withHc('    interval: 1m\n    timeout: 30s\n    successCodes: "0,12"\n').ok, true, 'whole minutes are whole seconds');
});

t.test('probe durations are ours: fractions of a second stay allowed', async (t) => {
  const result = validate((s) => s.replace('      interval: 5s\n      timeout: 2s\n', '      interval: 2500ms\n      timeout: 1500ms\n'));
  t.equal(result.ok, true, result.diagnostics.map((d) => d.summary).join('; '));
});
