// The text plan's parts besides field diffs (render-text.test.ts has those): the no-change line,
// one header per change with its kind, verb, reason and physical id, create values, "known after
// apply", blocked reasons, notes, operator actions, the summary, and colour only when asked.
import t from 'tap';
import { renderPlanText } from '../../../src/plan/render-text.js';
import { KNOWN_AFTER_APPLY, type Change, type Plan } from '../../../src/plan/types.js';

function planOf(changes: Change[], extra: Partial<Plan> = {}): Plan {
  const count = (a: Change['action']) => changes.filter((c) => c.action === a).length;
  return { platform: 'demo', changes, summary: { create: count('+'), update: count('~'), delete: count('-'), replace: 0, blocked: count('!') }, inSync: [], operatorActions: [], notes: [], ...extra };
}
const create: Change = { id: 'network/subnet/a', kind: 'ec2/subnet', action: '+', reason: 'missing', dependsOn: [],
  fields: [{ path: 'vpcId', old: null, new: KNOWN_AFTER_APPLY }, { path: 'cidr', old: null, new: '10.0.0.0/24' }, { path: 'tags', old: null, new: { Name: 'a' } }] };
const update: Change = { id: 'kube/Deployment/default/app', kind: 'kube/Deployment', action: '~', reason: 'drift', dependsOn: [], physicalId: 'default/app',
  fields: [{ path: 'spec.replicas', old: 2, new: 3 }] };
const blocked: Change = { id: 'network/vpc', kind: 'ec2/vpc', action: '!', reason: 'deletion-not-allowed', dependsOn: [], fields: [], physicalId: 'vpc-1',
  blockedBy: 'set deletion.allow: [network] to delete it', notes: ['holds the cluster'] };

t.test('an empty plan says there is nothing to do, and no summary line', async (t) => {
  const text = renderPlanText(planOf([]));
  t.equal(text, 'No changes. The platform matches the spec.');
});

t.test('a plan with nothing to change still lists its notes and operator actions', async (t) => {
  const text = renderPlanText(planOf([], { notes: ['split into 2 ingress groups'], operatorActions: [
    { id: 'delegate', summary: 'Delegate example.com to the zone\'s name servers', detail: 'ns-1.awsdns.com\nns-2.awsdns.net' },
    { id: 'dns', summary: 'Wait for DNS', done: true }] }));
  t.equal(text, [
    'note: split into 2 ingress groups',
    '',
    'Operator actions:',
    '  [todo] Delegate example.com to the zone\'s name servers',
    '         ns-1.awsdns.com',
    '         ns-2.awsdns.net',
    '  [done] Wait for DNS',
    'No changes. The platform matches the spec.',
  ].join('\n'));
});

t.test('each change: a header with id, kind, verb, reason and physical id, then its lines', async (t) => {
  const lines = renderPlanText(planOf([create, update, blocked])).split('\n');
  t.same(lines, [
    '+ network/subnet/a  (ec2/subnet; create: missing)',
    `    + vpcId: ${KNOWN_AFTER_APPLY}`,
    '    + cidr: "10.0.0.0/24"',
    '    + tags:',
    '      + Name: "a"',
    '~ kube/Deployment/default/app  (kube/Deployment; update: drift; default/app)',
    '    ~ spec.replicas: 2 → 3',
    '! network/vpc  (ec2/vpc; blocked: deletion-not-allowed; vpc-1)',
    '    blocked: set deletion.allow: [network] to delete it',
    '    note: holds the cluster',
    '',
    'Plan: 1 to create, 1 to update, 0 to delete, 0 to replace, 1 blocked.',
  ]);
});

t.test('the summary line reads the plan\'s summary', async (t) => {
  const text = renderPlanText(planOf([update], { summary: { create: 0, update: 1, delete: 4, replace: 2, blocked: 3 } }));
  t.match(text, /\nPlan: 0 to create, 1 to update, 4 to delete, 2 to replace, 3 blocked\.$/);
});

t.test('colour only when asked, and the same text underneath', async (t) => {
  const plan = planOf([create, update, blocked]);
  const plain = renderPlanText(plan);
  t.notMatch(plain, /\x1b\[/, 'no escape codes by default (logs, files, CI)');
  const coloured = renderPlanText(plan, { color: true });
  t.match(coloured, /\x1b\[32m\+ network\/subnet\/a\x1b\[0m/, 'a create header in green');
  t.match(coloured, /\x1b\[31;1m! network\/vpc\x1b\[0m/, 'a blocked header in bold red');
  t.equal(coloured.replace(/\x1b\[[0-9;]*m/g, ''), plain);
});

t.test('an update says which side moved: at the end of its head line; for both, the paths of each side after its fields', async (t) => {
  const render = (c: Change) => renderPlanText(planOf([c])).split('\n').slice(0, -2);
  const head = '~ kube/Deployment/default/app  (kube/Deployment; update: drift; default/app)';
  t.equal(render({ ...update, origin: 'spec' })[0], `${head}  # will be updated to match the spec`);
  t.equal(render({ ...update, origin: 'outside' })[0], `${head}  # changed outside platformd; will be set back to the spec`);
  t.equal(render({ ...update, origin: 'unknown' })[0], `${head}  # origin unknown: no record of what platformd last applied to it`);
  t.equal(render({ ...update, origin: 'outside' })[1], '    ~ spec.replicas: 2 → 3', 'the fields follow the head line directly');
  const both: Change = { ...update, origin: 'both', fields: [{ path: 'spec.replicas', old: 2, new: 3 }, { path: 'spec.template.spec.containers[app].image', old: 'a:1', new: 'a:2' }],
    fieldOrigins: { 'spec.replicas': 'outside', 'spec.template.spec.containers[app].image': 'spec' } };
  t.same(render(both), [`${head}  # the spec changed and the object was also changed outside platformd`, '    ~ spec.replicas: 2 → 3',
    '    ~ spec.template.spec.containers[app].image: "a:1" → "a:2"', '    # changed outside platformd: spec.replicas',
    '    # changed in the spec: spec.template.spec.containers[app].image']);
  t.equal(render(update)[0], head, 'a change without an origin (a create, a fixture) has no comment');
});
