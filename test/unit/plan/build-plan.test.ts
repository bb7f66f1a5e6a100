// buildPlan for what the spec names: nothing to do when converged, creates with values known only
// after apply, updates, replacements (allowed, or blocked without the deletion opt-in), read-only
// resources, and the dependents of anything blocked.
import t from 'tap';
import { ref } from '../../../src/resources/kind.js';
import { KNOWN_AFTER_APPLY } from '../../../src/plan/types.js';
import { actions, fakeKind, live, node, plan, verb } from './fake-world.js';

const vpc = fakeKind('ec2/vpc', { deletionCategory: 'network', immutable: ['cidr'] });
const subnet = fakeKind('ec2/subnet', { deletionCategory: 'network', immutable: ['cidr'] });
const role = fakeKind('iam/role', { immutable: ['path'] });
const kinds = [vpc, subnet, role];

const vpcNode = node('network/vpc', 'ec2/vpc', { cidr: '10.0.0.0/16', tags: { Name: 'demo' } });
const subnetNode = node('network/subnet/a', 'ec2/subnet', { vpcId: ref('network/vpc', 'vpcId'), cidr: '10.0.0.0/24' });
const vpcLive = live('network/vpc', 'ec2/vpc', { cidr: '10.0.0.0/16', tags: { Name: 'demo' } }, { outputs: { vpcId: 'vpc-1' } });
const subnetLive = live('network/subnet/a', 'ec2/subnet', { vpcId: 'vpc-1', cidr: '10.0.0.0/24' });

t.test('an empty spec against an empty world plans nothing', async (t) => {
  const p = plan({ kinds, nodes: [] });
  t.same(p.changes, []);
  t.same(p.inSync, []);
  t.same(p.summary, { create: 0, update: 0, delete: 0, replace: 0, blocked: 0 });
});

t.test('a converged world plans nothing and lists every resource in sync with its physical id', async (t) => {
  const p = plan({ kinds, nodes: [vpcNode, subnetNode], observed: [vpcLive, subnetLive] });
  t.same(p.changes, []);
  t.same(p.inSync, [{ id: 'network/vpc', kind: 'ec2/vpc', physicalId: 'phys-vpc' }, { id: 'network/subnet/a', kind: 'ec2/subnet', physicalId: 'phys-a' }]);
});

t.test('creates: values from a producer still to be created are known after apply', async (t) => {
  const p = plan({ kinds, nodes: [vpcNode, subnetNode] });
  t.same(actions(p), { 'network/vpc': 'create missing', 'network/subnet/a': 'create missing' });
  const [vpcChange, subnetChange] = p.changes;
  t.same(vpcChange!.fields, [{ path: 'cidr', old: null, new: '10.0.0.0/16' }, { path: 'tags.Name', old: null, new: 'demo' }], 'nested objects flattened to dotted paths');
  t.same(subnetChange!.fields, [{ path: 'vpcId', old: null, new: KNOWN_AFTER_APPLY }, { path: 'cidr', old: null, new: '10.0.0.0/24' }]);
  t.same(subnetChange!.dependsOn, ['network/vpc'], 'the ref is a dependency');
  t.same(p.summary, { create: 2, update: 0, delete: 0, replace: 0, blocked: 0 });
});

t.test('creates: a ref to a live producer shows its value; a ref inside a list marks the list', async (t) => {
  const sg = node('network/subnet/b', 'ec2/subnet', { vpcId: ref('network/vpc', 'vpcId'), cidr: '10.0.1.0/24',
    routes: ['0.0.0.0/0', ref('network/nat', 'natId')], tags: { Owner: ref('network/vpc', 'vpcId') } });
  const p = plan({ kinds, nodes: [vpcNode, sg], observed: [vpcLive] });
  t.same(actions(p), { 'network/subnet/b': 'create missing' });
  t.same(p.changes[0]!.fields, [
    { path: 'vpcId', old: null, new: 'vpc-1' },
    { path: 'cidr', old: null, new: '10.0.1.0/24' },
    { path: 'routes', old: null, new: KNOWN_AFTER_APPLY },
    { path: 'tags.Owner', old: null, new: 'vpc-1' },
  ]);
});

t.test('updates: a changed mutable field is drift with old and new values', async (t) => {
  const p = plan({ kinds, nodes: [vpcNode], observed: [live('network/vpc', 'ec2/vpc', { cidr: '10.0.0.0/16', tags: { Name: 'old' } })] });
  t.same(actions(p), { 'network/vpc': 'update drift' });
  t.same(p.changes[0]!.fields, [{ path: 'tags', old: { Name: 'old' }, new: { Name: 'demo' } }]);
  t.equal(p.changes[0]!.physicalId, 'phys-vpc');
});

t.test('updates: a live consumer of a producer about to be created is updated with values known after apply', async (t) => {
  const p = plan({ kinds, nodes: [vpcNode, subnetNode], observed: [subnetLive] });
  t.same(actions(p), { 'network/vpc': 'create missing', 'network/subnet/a': 'update drift' });
  const fields = p.changes.find((c) => c.id === 'network/subnet/a')!.fields;
  t.ok(fields.length > 0 && fields.every((f) => f.new === KNOWN_AFTER_APPLY), 'every unknown value is marked, none guessed');
  t.match(fields[0]!.path, /network\/vpc/, 'the field names the producer it waits for');
});

t.test('replace: an immutable field of a freely deletable kind is replaced', async (t) => {
  const p = plan({ kinds, nodes: [node('iam/role/cluster', 'iam/role', { path: '/new/' })], observed: [live('iam/role/cluster', 'iam/role', { path: '/old/' })] });
  const change = p.changes[0]!;
  t.equal(verb(change), 'replace');
  t.equal(change.reason, 'replace-immutable');
  t.same(change.notes, ['cannot change in place: path']);
  t.notOk(change.blockedBy);
  t.same(p.summary, { create: 0, update: 0, delete: 0, replace: 1, blocked: 0 });
});

t.test('replace vs update: only a change to an immutable field replaces', async (t) => {
  const p = plan({ kinds, nodes: [vpcNode], observed: [live('network/vpc', 'ec2/vpc', { cidr: '10.0.0.0/16', tags: { Name: 'x' } })], deletion: { allow: ['network'] } });
  t.same(actions(p), { 'network/vpc': 'update drift' }, 'the mutable tag alone is an update even when deletion is allowed');
});

t.test('replace: stateful infrastructure without the deletion opt-in is blocked, and so is what depends on it', async (t) => {
  const world = { kinds, nodes: [node('network/vpc', 'ec2/vpc', { cidr: '10.1.0.0/16', tags: { Name: 'demo' } }), subnetNode], observed: [vpcLive, subnetLive] };
  const blocked = plan(world);
  t.same(actions(blocked), { 'network/vpc': 'blocked replace-immutable', 'network/subnet/a': 'blocked dependency-blocked' });
  t.match(blocked.changes[0]!.blockedBy, /deletion\.allow: \[network\]/, 'names the opt-in that would allow it');
  t.match(blocked.changes[1]!.blockedBy, /network\/vpc/, 'names what blocks the dependent');
  t.same(blocked.summary, { create: 0, update: 0, delete: 0, replace: 0, blocked: 2 });
  const allowed = plan({ ...world, deletion: { allow: ['network'] } });
  t.equal(verb(allowed.changes[0]!), 'replace', 'with the opt-in it is replaced');
});

t.test('a consumer of a replaced producer is planned against its new outputs, not the old ones', async (t) => {
  // The live subnet's vpcId equals the old VPC's: resolved against the old outputs it read as in
  // sync, and the replacement would have left it behind.
  const p = plan({ kinds, nodes: [node('network/vpc', 'ec2/vpc', { cidr: '10.1.0.0/16', tags: { Name: 'demo' } }), subnetNode],
    observed: [vpcLive, subnetLive], deletion: { allow: ['network'] } });
  t.same(p.changes.map((c) => `${c.id} ${verb(c)}`), ['network/vpc replace', 'network/subnet/a update']);
  t.same(p.changes[1]!.fields.map((f) => f.new), [KNOWN_AFTER_APPLY], 'the new VPC id is known only after apply');
  t.same(p.inSync, []);
  const created = plan({ kinds, nodes: [node('network/vpc', 'ec2/vpc', { cidr: '10.1.0.0/16', tags: { Name: 'demo' } }), subnetNode],
    observed: [vpcLive], deletion: { allow: ['network'] } });
  t.same(created.changes[1]!.fields[0], { path: 'vpcId', old: null, new: KNOWN_AFTER_APPLY }, 'a create takes no value from the VPC being replaced');
});

t.test('blocking spreads to dependents of dependents', async (t) => {
  const a = node('iam/role/a', 'iam/role', { path: '/a/' }, { readOnly: { physicalId: 'arn:a' } });
  const b = node('iam/role/b', 'iam/role', { path: '/b/' }, { dependsOn: ['iam/role/a'] });
  const c = node('iam/role/c', 'iam/role', { path: ref('iam/role/b', 'arn') });
  const p = plan({ kinds, nodes: [c, b, a] });
  t.same(actions(p), { 'iam/role/a': 'blocked read-only-missing', 'iam/role/b': 'blocked dependency-blocked', 'iam/role/c': 'blocked dependency-blocked' });
  t.match(p.changes.find((x) => x.id === 'iam/role/a')!.blockedBy, /arn:a/, 'the missing resource named by its physical id');
});

t.test('read-only resources are never changed: drift is reported as blocked, in sync is in sync', async (t) => {
  const existing = node('network/vpc', 'ec2/vpc', { cidr: '10.0.0.0/16' }, { readOnly: { physicalId: 'vpc-existing' } });
  const drifted = plan({ kinds, nodes: [existing, subnetNode], observed: [live('network/vpc', 'ec2/vpc', { cidr: '10.9.0.0/16' }, { owned: false, outputs: { vpcId: 'vpc-1' } })] });
  t.same(actions(drifted), { 'network/vpc': 'blocked read-only-drift', 'network/subnet/a': 'create missing' },
    'a resource platformd does not own is reported, and what merely uses it goes ahead');
  t.same(drifted.changes[0]!.fields, [{ path: 'cidr', old: '10.9.0.0/16', new: '10.0.0.0/16' }]);
  const fine = plan({ kinds, nodes: [existing], observed: [live('network/vpc', 'ec2/vpc', { cidr: '10.0.0.0/16' }, { owned: false })] });
  t.same(fine.changes, []);
  t.same(fine.inSync.map((r) => r.id), ['network/vpc']);
});

t.test('a resource of another layer that does not exist blocks what needs it, by ref or by dependsOn', async (t) => {
  const outside = node('network/vpc', 'ec2/vpc', { cidr: '10.0.0.0/16' });
  const byRef = plan({ kinds, nodes: [subnetNode], external: [outside], inScope: ['ec2/subnet'] });
  t.same(actions(byRef), { 'network/subnet/a': 'blocked dependency-blocked' });
  t.match(byRef.changes[0]!.blockedBy, /network\/vpc.*outside this run/);
  const byDependsOn = plan({ kinds, nodes: [node('iam/role/x', 'iam/role', { path: '/' }, { dependsOn: ['network/vpc'] })], external: [outside], inScope: ['iam/role'] });
  t.same(actions(byDependsOn), { 'iam/role/x': 'blocked dependency-blocked' });
  const present = plan({ kinds, nodes: [subnetNode], external: [outside], observed: [vpcLive], inScope: ['ec2/subnet'] });
  t.same(actions(present), { 'network/subnet/a': 'create missing' }, 'once it exists its values are used');
  t.same(present.changes[0]!.fields[0], { path: 'vpcId', old: null, new: 'vpc-1' });
});

t.test('planning is pure: the same inputs give the same plan and the desired graph is not modified', async (t) => {
  const world = { kinds, nodes: [vpcNode, subnetNode], observed: [vpcLive] };
  const before = structuredClone(subnetNode.properties);
  const first = plan(world);
  t.same(plan(world), first);
  t.same(subnetNode.properties, before, 'resolving refs did not write the VPC id into the desired properties');
});

t.test('a live consumer using one unknown value twice gets one field for it', async (t) => {
  const twice = node('network/subnet/a', 'ec2/subnet', { vpcId: ref('network/vpc', 'vpcId'), tags: { Vpc: ref('network/vpc', 'vpcId') } });
  const p = plan({ kinds, nodes: [vpcNode, twice], observed: [subnetLive] });
  t.equal(p.changes.find((c) => c.id === 'network/subnet/a')!.fields.length, 1, 'no duplicate field paths in the plan');
});
