// The text plan shows structure, not one-line JSON: each changed path of a policy, an Ingress and
// a 300-service change sits on a line of its own, unchanged parts elided. Whole renderings are
// compared with fixture files (test/fixtures/plans/*.txt; UPDATE_FIXTURES=1 rewrites them after a
// deliberate change, to be reviewed in the diff).
import t, { type Test } from 'tap';
import { readFileSync, writeFileSync } from 'node:fs';
import { renderPlanText } from '../../../src/plan/render-text.js';
import { normalisePolicy, type PolicyDocument, type PolicyStatement } from '../../../src/resources/iam/policy-document.js';
import { loadBalancerControllerPolicy } from '../../../src/resources/iam/lbc-policy.js';
import type { Change, Plan } from '../../../src/plan/types.js';
import type { FieldChange } from '../../../src/resources/kind.js';

const FIXTURES = 'test/fixtures/plans';

function planOf(changes: Change[]): Plan {
  const count = (a: string) => changes.filter((c) => c.action === a).length;
  return { platform: 'demo', changes, summary: { create: count('+'), update: count('~'), delete: count('-'), replace: count('-/+'), blocked: count('!') }, inSync: [], operatorActions: [], notes: [] };
}

function update(id: string, kind: string, fields: FieldChange[]): Change {
  return { id, kind, action: '~', reason: 'drift', fields, dependsOn: [], physicalId: id.split('/').slice(-2).join('/') };
}

function matchesFixture(t: Test, name: string, text: string): void {
  const file = `${FIXTURES}/${name}.txt`;
  if (process.env.UPDATE_FIXTURES) writeFileSync(file, `${text}\n`);
  t.equal(text, readFileSync(file, 'utf8').replace(/\n$/, ''), `matches ${file}`);
}

/** The rendered lines that carry a change marker (+ - ~), without indentation. */
const changedLines = (text: string) => text.split('\n').map((l) => l.trim()).filter((l) => /^[+~-] /.test(l));

t.test('a policy change: every action added or removed on its own line, statements matched by content', async (t) => {
  const current = loadBalancerControllerPolicy('v3.5.0');
  // Live: an older document missing two actions of one statement and one whole statement, with
  // one extra action someone added by hand.
  const live = structuredClone(current) as PolicyDocument & { Statement: PolicyStatement[] };
  const describe = live.Statement[1]!;
  describe.Action = (describe.Action as string[]).filter((a) => a !== 'ec2:DescribeIpamPools' && a !== 'ec2:DescribeRouteTables');
  describe.Action.push('ec2:DescribeImages');
  const dropped = live.Statement.splice(3, 1)[0]!;
  const plan = planOf([update('iam/policy/load-balancer-controller', 'iam/policy', [{ path: 'document', old: normalisePolicy(live), new: normalisePolicy(current) }])]);
  const text = renderPlanText(plan);
  matchesFixture(t, 'policy-change', text);
  const changed = changedLines(text);
  for (const action of ['ec2:DescribeIpamPools', 'ec2:DescribeRouteTables']) t.ok(changed.includes(`+ - "${action}"`), `${action} added on its own line`);
  t.ok(changed.includes('- - "ec2:DescribeImages"'), 'the hand-added action removed on its own line');
  t.ok(changed.some((l) => l.startsWith('+ [') && l.endsWith(']:')), 'the missing statement shown as added');
  for (const action of [dropped.Action].flat()) t.ok(changed.includes(`+ - "${action}"`), `the missing statement's ${action} on its own line`);
  t.ok(text.split('\n').every((l) => l.length < 200), 'no line carries a whole document');
  t.match(text, /# \(\d+ unchanged elements hidden\)/, 'unchanged statements and actions elided');
});

t.test('an Ingress path removal: the removed path by its key, the rest elided', async (t) => {
  // Recorded from the reference platform with the kv-store service removed from the spec (the
  // API server returns the paths with keys reordered).
  const field = JSON.parse(readFileSync(`${FIXTURES}/ingress-path-removal.fields.json`, 'utf8')) as FieldChange;
  const text = renderPlanText(planOf([update('kube/Ingress/default/grpc-demo', 'kube/Ingress', [field])]));
  matchesFixture(t, 'ingress-path-removal', text);
  const changed = changedLines(text);
  t.ok(changed.includes('- [path="/keyvaluestore.KeyValueStore/"]:'), 'the removed path named by its key');
  t.ok(changed.includes('- name: "kv-store"'), 'its backend on its own line');
  t.notMatch(text, /greeter|route-guide/, 'the unchanged paths are not shown, though the server reordered their keys');
  t.match(text, /# \(2 unchanged elements hidden\)/);
});

t.test('a 300-service change: each changed path and image on its own line', async (t) => {
  const names = Array.from({ length: 300 }, (_, i) => `svc-${String(i).padStart(3, '0')}`);
  const path = (name: string, port = 50051) => ({ path: `/${name}.v1.Service/`, pathType: 'Prefix', backend: { service: { name, port: { number: port } } } });
  const oldPaths = names.map((n) => path(n));
  const newPaths = names.filter((n) => n !== 'svc-007' && n !== 'svc-150').map((n) => path(n, n === 'svc-042' ? 50052 : 50051));
  newPaths.push(path('svc-300'));
  const rules = (paths: unknown[]) => [{ http: { paths } }];
  const deployments = names.map((n) => update(`kube/Deployment/default/${n}`, 'kube/Deployment', [{
    path: `spec.template.spec.containers[app].image`, old: `registry.example.com/${n}:1.4.0`, new: `registry.example.com/${n}:1.5.0`,
  }]));
  const plan = planOf([...deployments, update('kube/Ingress/default/grpc-demo', 'kube/Ingress', [{ path: 'spec.rules', old: rules(oldPaths), new: rules(newPaths) }])]);
  const text = renderPlanText(plan);
  matchesFixture(t, 'services-300', text);
  const changed = changedLines(text);
  for (const n of names) t.ok(changed.includes(`~ spec.template.spec.containers[app].image: "registry.example.com/${n}:1.4.0" → "registry.example.com/${n}:1.5.0"`), `${n}'s image`, { diagnostic: false });
  for (const gone of ['svc-007', 'svc-150']) t.ok(changed.includes(`- [path="/${gone}.v1.Service/"]:`), `${gone}'s path removed on its own line`);
  t.ok(changed.includes('+ [path="/svc-300.v1.Service/"]:'), 'the new path added on its own line');
  t.ok(changed.includes('~ number: 50051 → 50052'), "svc-042's port change inside its path");
  t.match(text, /# \(297 unchanged elements hidden\)/, 'the 297 untouched paths elided');
  t.ok(text.split('\n').length < 2000, `${text.split('\n').length} lines for 301 changes`);
});
