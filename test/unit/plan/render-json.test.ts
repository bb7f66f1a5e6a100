// The JSON plan is a public contract (/plan, `plan --json`): its field names are fixed, absent
// values are null rather than missing, and it survives a round trip through JSON unchanged.
import t from 'tap';
import { PLAN_FORMAT_VERSION, planToJson, renderPlanJson } from '../../../src/plan/render-json.js';
import { KNOWN_AFTER_APPLY, type Change, type Plan } from '../../../src/plan/types.js';

const create: Change = { id: 'network/subnet/a', kind: 'ec2/subnet', action: '+', reason: 'missing', dependsOn: ['network/vpc'],
  fields: [{ path: 'vpcId', old: undefined, new: KNOWN_AFTER_APPLY }, { path: 'cidr', old: null, new: '10.0.0.0/24' }] };
const blocked: Change = { id: 'network/vpc', kind: 'ec2/vpc', action: '!', reason: 'deletion-not-allowed', dependsOn: [], fields: [],
  physicalId: 'vpc-1', blockedBy: 'set deletion.allow: [network] to delete it', notes: ['stateful'] };
const plan: Plan = { platform: 'demo', changes: [create, blocked], summary: { create: 1, update: 0, delete: 0, replace: 0, blocked: 1 },
  inSync: [{ id: 'iam/role/cluster', kind: 'iam/role', physicalId: 'arn:aws:iam::1:role/c' }],
  operatorActions: [{ id: 'delegate', summary: 'Delegate example.com', done: false }], notes: ['split into 2 ingress groups'] };

t.test('the top-level and per-change field names are the contract', async (t) => {
  const json = planToJson(plan);
  t.same(Object.keys(json), ['format_version', 'platform', 'summary', 'changes', 'in_sync', 'operator_actions', 'notes']);
  t.equal(json.format_version, PLAN_FORMAT_VERSION);
  const [first] = json.changes as Record<string, unknown>[];
  t.same(Object.keys(first!), ['id', 'kind', 'action', 'reason', 'origin', 'physical_id', 'fields', 'blocked_by', 'depends_on', 'notes']);
  t.same(json.in_sync, [{ id: 'iam/role/cluster', kind: 'iam/role', physical_id: 'arn:aws:iam::1:role/c' }]);
  t.same(json.summary, plan.summary);
});

t.test('absent values are null, never missing, so consumers can rely on every key', async (t) => {
  const parsed = JSON.parse(renderPlanJson(plan)) as { changes: Record<string, unknown>[] };
  const [c, b] = parsed.changes;
  t.same(c, { id: 'network/subnet/a', kind: 'ec2/subnet', action: '+', reason: 'missing', origin: null, physical_id: null, blocked_by: null, depends_on: ['network/vpc'], notes: [],
    fields: [{ path: 'vpcId', old: null, new: KNOWN_AFTER_APPLY, origin: null }, { path: 'cidr', old: null, new: '10.0.0.0/24', origin: null }] }, 'an undefined old value is written as null');
  t.match(b, { action: '!', physical_id: 'vpc-1', blocked_by: 'set deletion.allow: [network] to delete it', notes: ['stateful'] });
});

t.test('the rendered text is the object, indented, and round-trips', async (t) => {
  const text = renderPlanJson(plan);
  t.same(JSON.parse(text), JSON.parse(JSON.stringify(planToJson(plan))));
  t.match(text, /^\{\n {2}"format_version"/, 'indented for people reading it in a PR');
});

t.test('an empty plan', async (t) => {
  const empty: Plan = { platform: 'demo', changes: [], summary: { create: 0, update: 0, delete: 0, replace: 0, blocked: 0 }, inSync: [], operatorActions: [], notes: [] };
  t.same(JSON.parse(renderPlanJson(empty)), { format_version: PLAN_FORMAT_VERSION, platform: 'demo', summary: empty.summary, changes: [], in_sync: [], operator_actions: [], notes: [] });
});

t.test('rendering does not modify the plan', async (t) => {
  const before = structuredClone(plan);
  renderPlanJson(plan);
  t.same(plan, before);
});

t.test('an update says which side moved, per change and per field', async (t) => {
  const update: Change = { id: 'network/vpc', kind: 'ec2/vpc', action: '~', reason: 'drift', origin: 'both', dependsOn: [], physicalId: 'vpc-1',
    fields: [{ path: 'tags.Name', old: 'x', new: 'demo' }, { path: 'enableDnsHostnames', old: false, new: true }],
    fieldOrigins: { 'tags.Name': 'outside', enableDnsHostnames: 'spec' } };
  const json = planToJson({ ...plan, changes: [update] });
  const [c] = json.changes as { origin: unknown; fields: { path: string; origin: unknown }[] }[];
  t.equal(c!.origin, 'both');
  t.same(c!.fields.map((f) => [f.path, f.origin]), [['tags.Name', 'outside'], ['enableDnsHostnames', 'spec']]);
  t.equal(PLAN_FORMAT_VERSION, '2.1', 'origin is an addition: a minor version');
});
