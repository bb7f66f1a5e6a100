// diffManifest, the kube kinds' diff, on objects shaped as the API server returns them after a
// server-side apply: server-filled fields and the labels platformd adds are not drift; keyed list
// elements are matched by their keys (one or several), added and removed by key; atomic lists
// compare whole; nothing is ever a replacement (apply changes Kubernetes objects in place).
import t from 'tap';
import { diffManifest, owned } from '../../../../src/resources/kube/object-kind.js';

// The tests reach into spec and status freely: the manifest type leaves them unknown.
type Manifest = Parameters<typeof diffManifest>[0] & Record<string, any>;

const ID = 'kube/Deployment/default/route-guide';
const container = (image: string, extra: Record<string, unknown> = {}) =>
  ({ name: 'app', image, args: ['--port=50051'], ports: [{ containerPort: 50051, protocol: 'TCP' }], ...extra });
const desired = (containers: unknown[]): Manifest => ({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'route-guide', namespace: 'default', labels: { app: 'route-guide' } },
  spec: { replicas: 2, selector: { matchLabels: { app: 'route-guide' } }, template: { metadata: { labels: { app: 'route-guide' } }, spec: { containers } } } });

/** platformd's managedFields entry for `desired` with these containers (names) and each container's ports. */
function appliedEntry(names: string[]): Record<string, unknown> {
  const containerFields = Object.fromEntries(names.map((n) => [`k:{"name":"${n}"}`, { '.': {}, 'f:name': {}, 'f:image': {}, 'f:args': {},
    'f:ports': { 'k:{"containerPort":50051,"protocol":"TCP"}': { '.': {}, 'f:containerPort': {}, 'f:protocol': {} } } }]));
  return { manager: 'platformd', operation: 'Apply', apiVersion: 'apps/v1', fieldsType: 'FieldsV1', fieldsV1: {
    'f:metadata': { 'f:labels': { 'f:app': {}, 'f:app.kubernetes.io/managed-by': {}, 'f:platformd.dev/platform': {} }, 'f:annotations': { 'f:platformd.dev/id': {} } },
    'f:spec': { 'f:replicas': {}, 'f:selector': {}, 'f:template': { 'f:metadata': { 'f:labels': { 'f:app': {} } }, 'f:spec': { 'f:containers': containerFields } } },
  } };
}

/** What the API server returns after platformd applied `applied`: defaults filled, server metadata, status. */
function serverView(applied: Manifest, names: string[], edit: (m: Manifest) => void = () => {}): Manifest {
  const live = structuredClone(owned(applied, 'demo', ID)) as Manifest;
  live.metadata = { ...live.metadata, uid: 'u-1', resourceVersion: '42', generation: 1, creationTimestamp: new Date('2026-01-01T00:00:00Z'),
    labels: { ...live.metadata!.labels, 'team.example.com/owner': 'payments' },
    annotations: { ...live.metadata!.annotations, 'deployment.kubernetes.io/revision': '1' },
    managedFields: [appliedEntry(names), { manager: 'kube-controller-manager', operation: 'Update', subresource: 'status', fieldsType: 'FieldsV1', fieldsV1: { 'f:status': {} } }] };
  live.spec.strategy = { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } };
  live.spec.revisionHistoryLimit = 10;
  for (const c of live.spec.template.spec.containers) Object.assign(c, { imagePullPolicy: 'IfNotPresent', terminationMessagePath: '/dev/termination-log' });
  live.spec.template.spec.dnsPolicy = 'ClusterFirst';
  live.status = { replicas: 2, availableReplicas: 2, observedGeneration: 1 };
  edit(live);
  return live;
}

const paths = (d: Manifest, l: Manifest) => diffManifest(d, l).fields.map((f) => f.path);

t.test('right after an apply nothing is drift: server defaults, server metadata, status, added labels and others\' labels', async (t) => {
  const want = desired([container('rg:1')]);
  t.same(diffManifest(want, serverView(want, ['app'])), { fields: [], replaces: [] });
});

t.test('key order in the server\'s answer is not drift', async (t) => {
  const want = desired([container('rg:1')]);
  const live = serverView(want, ['app'], (m) => {
    m.spec.template.spec.containers = m.spec.template.spec.containers.map((c: Record<string, unknown>) => Object.fromEntries(Object.entries(c).reverse()));
  });
  t.same(paths(want, live), []);
});

t.test('a changed field inside a keyed element is drift on that element\'s path', async (t) => {
  const live = serverView(desired([container('rg:1')]), ['app']);
  const d = diffManifest(desired([container('rg:2')]), live);
  t.same(d.fields, [{ path: 'spec.template.spec.containers[app].image', old: 'rg:1', new: 'rg:2' }]);
  t.same(d.replaces, [], 'Kubernetes objects are changed in place');
});

t.test('a new keyed element is added by its key; one platformd applied and no longer sets is removed by its key', async (t) => {
  const two = desired([container('rg:1'), { ...container('sidecar:1'), name: 'proxy' }]);
  const live = serverView(two, ['app', 'proxy']);
  const removal = diffManifest(desired([container('rg:1')]), live).fields;
  t.same(removal.map((f) => [f.path, f.new]), [['spec.template.spec.containers[proxy]', null]]);
  const oneLive = serverView(desired([container('rg:1')]), ['app']);
  const added = diffManifest(two, oneLive).fields;
  t.same(added.map((f) => [f.path, f.old]), [['spec.template.spec.containers[proxy]', null]]);
});

t.test('a container another manager added is not platformd\'s to remove', async (t) => {
  const want = desired([container('rg:1')]);
  const live = serverView(want, ['app'], (m) => { m.spec.template.spec.containers.push({ name: 'istio-proxy', image: 'istio:1' }); });
  t.same(paths(want, live), []);
});

t.test('list elements keyed by several fields (ports by containerPort and protocol)', async (t) => {
  const live = serverView(desired([container('rg:1')]), ['app']);
  const udp = desired([container('rg:1', { ports: [{ containerPort: 50051, protocol: 'UDP' }] })]);
  const fields = diffManifest(udp, live).fields;
  t.same(fields.map((f) => [f.path, f.old === null ? 'added' : f.new === null ? 'removed' : 'changed']), [
    ['spec.template.spec.containers[app].ports[50051,UDP]', 'added'],
    ['spec.template.spec.containers[app].ports[50051,TCP]', 'removed'],
  ], 'a different protocol is a different element, not an edit of the old one');
});

t.test('an atomic list (args) is compared whole', async (t) => {
  const live = serverView(desired([container('rg:1')]), ['app']);
  const fields = diffManifest(desired([container('rg:1', { args: ['--port=50052'] })]), live).fields;
  t.same(fields, [{ path: 'spec.template.spec.containers[app].args', old: ['--port=50051'], new: ['--port=50052'] }]);
});

t.test('a label platformd applied and the spec dropped is a removal; one someone changed is drift', async (t) => {
  const want = desired([container('rg:1')]);
  const live = serverView(want, ['app'], (m) => { m.metadata!.labels!.app = 'tampered'; });
  t.same(diffManifest(want, live).fields, [{ path: 'metadata.labels.app', old: 'tampered', new: 'route-guide' }]);
  const withoutLabel = desired([container('rg:1')]);
  delete withoutLabel.metadata!.labels!.app;
  t.same(diffManifest(withoutLabel, serverView(want, ['app'])).fields, [{ path: 'metadata.labels.app', old: 'route-guide', new: null }]);
});

t.test('a server default the spec later sets explicitly is compared from then on', async (t) => {
  const want = desired([container('rg:1')]);
  const live = serverView(want, ['app']);
  t.same(paths({ ...want, spec: { ...want.spec, revisionHistoryLimit: 10 } }, live), [], 'setting it to the default is no change');
  t.same(diffManifest({ ...want, spec: { ...want.spec, revisionHistoryLimit: 3 } }, live).fields, [{ path: 'spec.revisionHistoryLimit', old: 10, new: 3 }]);
});
