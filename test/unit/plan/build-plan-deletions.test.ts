// buildPlan for what the spec no longer names: owned objects are deleted (stateful ones only with
// the spec's opt-in, otherwise blocked), what platformd does not own or does not cover in this run
// is never planned, duplicates of a logical id go, and deletions wait for the kinds deleted before theirs.
import t from 'tap';
import { actions, fakeKind, live, node, plan } from './fake-world.js';

const vpc = fakeKind('ec2/vpc', { deletionCategory: 'network' });
const subnet = fakeKind('ec2/subnet', { deletionCategory: 'network' });
const deployment = fakeKind('kube/Deployment');
const certificate = fakeKind('acm/certificate', { deletionCategory: 'certificate', deleteAfter: ['kube/Ingress'] });
const ingress = fakeKind('kube/Ingress');
const kinds = [vpc, subnet, certificate, deployment, ingress];

t.test('an owned object the spec no longer names is deleted; one platformd does not own is left alone', async (t) => {
  const p = plan({ kinds, nodes: [], observed: [
    live('kube/Deployment/default/old', 'kube/Deployment', {}),
    live('kube/Deployment/default/theirs', 'kube/Deployment', {}, { owned: false }),
  ] });
  t.same(actions(p), { 'kube/Deployment/default/old': 'delete not-in-spec' });
  t.equal(p.changes[0]!.physicalId, 'phys-old');
  t.same(p.summary, { create: 0, update: 0, delete: 1, replace: 0, blocked: 0 });
});

t.test('stateful infrastructure is deleted only with the opt-in for its category', async (t) => {
  const observed = [live('network/vpc', 'ec2/vpc', {}), live('edge/certificate', 'acm/certificate', {})];
  const blocked = plan({ kinds, nodes: [], observed });
  t.same(actions(blocked), { 'network/vpc': 'blocked deletion-not-allowed', 'edge/certificate': 'blocked deletion-not-allowed' });
  t.same(blocked.changes.map((c) => c.blockedBy), ['set deletion.allow: [network] to delete it', 'set deletion.allow: [certificate] to delete it']);
  t.same(blocked.summary, { create: 0, update: 0, delete: 0, replace: 0, blocked: 2 });
  const partly = plan({ kinds, nodes: [], observed, deletion: { allow: ['certificate'] } });
  t.same(actions(partly), { 'network/vpc': 'blocked deletion-not-allowed', 'edge/certificate': 'delete not-in-spec' }, 'each category opts in on its own');
});

t.test('a per-object deletion category wins over the kind\'s', async (t) => {
  const repository = { ...fakeKind('ecr/repository', { deletionCategory: 'repositories' }),
    deletionCategoryOf: (o: { state: Record<string, unknown> }) => (o.state.images ? 'repositories' as const : undefined) };
  const p = plan({ kinds: [repository], nodes: [], observed: [
    live('ecr/repository/empty', 'ecr/repository', { images: 0 }),
    live('ecr/repository/full', 'ecr/repository', { images: 3 }),
  ] });
  t.same(actions(p), { 'ecr/repository/empty': 'delete not-in-spec', 'ecr/repository/full': 'blocked deletion-not-allowed' });
});

t.test('objects of kinds outside this run, and resources of other layers, are never deleted', async (t) => {
  const p = plan({ kinds, nodes: [], inScope: ['kube/Deployment'], external: [node('network/vpc', 'ec2/vpc', {})], observed: [
    live('network/vpc', 'ec2/vpc', {}),
    live('network/subnet/a', 'ec2/subnet', {}),
  ] });
  t.same(p.changes, []);
});

t.test('a second live object holding a logical id in use is deleted as a duplicate, the first stays', async (t) => {
  const p = plan({ kinds, nodes: [node('kube/Deployment/default/app', 'kube/Deployment', { image: 'a:1' })], observed: [
    live('kube/Deployment/default/app', 'kube/Deployment', { image: 'a:1' }),
    live('kube/Deployment/default/app#2', 'kube/Deployment', { image: 'a:1' }, { duplicateOf: 'kube/Deployment/default/app' }),
  ] });
  t.same(actions(p), { 'kube/Deployment/default/app#2': 'delete duplicate' });
  t.match(p.changes[0]!.notes, [/kube\/Deployment\/default\/app stays/]);
  t.same(p.inSync.map((r) => r.id), ['kube/Deployment/default/app']);
});

t.test('a deletion waits for the deletions of every kind deleted before its own', async (t) => {
  const p = plan({ kinds, nodes: [], deletion: { allow: ['network', 'certificate'] }, observed: [
    live('network/vpc', 'ec2/vpc', {}),
    live('network/subnet/a', 'ec2/subnet', {}),
    live('network/subnet/b', 'ec2/subnet', {}),
    live('edge/certificate', 'acm/certificate', {}),
    live('kube/Ingress/default/grpc', 'kube/Ingress', {}),
  ] });
  // Relations rather than whole lists: issue 12 moves deletion order to reversed dependency edges,
  // and these must hold either way.
  const waits = (id: string, on: string) => p.changes.find((c) => c.id === id)!.dependsOn.includes(on);
  t.same(p.changes.find((c) => c.id === 'kube/Ingress/default/grpc')!.dependsOn, [], 'the Ingress, created last, goes first');
  t.ok(waits('edge/certificate', 'kube/Ingress/default/grpc'), 'the certificate waits for the Ingress that used it (deleteAfter)');
  t.ok(waits('network/vpc', 'network/subnet/a') && waits('network/vpc', 'network/subnet/b'), 'the VPC waits for its subnets');
  t.notOk(waits('network/subnet/a', 'network/subnet/b') || waits('network/subnet/b', 'network/subnet/a'), 'subnets do not wait for each other');
  t.notOk(p.changes.some((c) => waits(c.id, 'network/vpc')), 'nothing waits for the VPC');
});

t.test('a deletion does not wait for a blocked one (it never runs)', async (t) => {
  const p = plan({ kinds, nodes: [], deletion: { allow: ['network'] }, observed: [live('edge/certificate', 'acm/certificate', {}), live('network/subnet/a', 'ec2/subnet', {})] });
  t.same(actions(p), { 'edge/certificate': 'blocked deletion-not-allowed', 'network/subnet/a': 'delete not-in-spec' });
  t.same(p.changes.find((c) => c.id === 'network/subnet/a')!.dependsOn, [], 'the subnet, deleted after certificates, does not wait for the blocked one');
});

t.test('creates, updates and deletions in one plan are counted once each', async (t) => {
  const p = plan({ kinds, deletion: { allow: ['network'] },
    nodes: [node('kube/Deployment/default/new', 'kube/Deployment', { image: 'a:1' }), node('kube/Deployment/default/app', 'kube/Deployment', { image: 'a:2' })],
    observed: [live('kube/Deployment/default/app', 'kube/Deployment', { image: 'a:1' }), live('network/vpc', 'ec2/vpc', {})] });
  t.same(actions(p), { 'kube/Deployment/default/new': 'create missing', 'kube/Deployment/default/app': 'update drift', 'network/vpc': 'delete not-in-spec' });
  t.same(p.summary, { create: 1, update: 1, delete: 1, replace: 0, blocked: 0 });
});
