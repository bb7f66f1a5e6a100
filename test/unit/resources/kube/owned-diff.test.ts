// diffOwned: drift is what platformd owns, read from its managedFields, never the server's defaults
// or other managers' fields.
import t from 'tap';
import { diffOwned } from '../../../../src/resources/kube/owned-diff.js';

const applied = (fieldsV1: object) => [{ manager: 'platformd', operation: 'Apply', fieldsType: 'FieldsV1', fieldsV1 }];
const desired = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd' },
  spec: { replicas: 2, template: { spec: { containers: [{ name: 'app', image: 'a:1', ports: [{ containerPort: 80, protocol: 'TCP' }] }] } } } };
const mine = applied({ 'f:metadata': { 'f:name': {} }, 'f:spec': { 'f:replicas': {}, 'f:template': { 'f:spec': { 'f:containers': {
  'k:{"name":"app"}': { '.': {}, 'f:name': {}, 'f:image': {}, 'f:ports': { 'k:{"containerPort":80,"protocol":"TCP"}': { '.': {}, 'f:containerPort': {}, 'f:protocol': {} } }, 'f:env': {} } } } } } });
const live = (spec: object, managedFields: object[] = mine) => ({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd', managedFields }, spec });

const cases = [
  { reason: 'defaults and another manager\'s container are not drift', want: [],
    live: live({ replicas: 2, revisionHistoryLimit: 10, template: { spec: { dnsPolicy: 'ClusterFirst', containers: [
      { name: 'sidecar', image: 's:1' }, { name: 'app', image: 'a:1', imagePullPolicy: 'IfNotPresent', ports: [{ containerPort: 80, protocol: 'TCP' }] }] } } }) },
  { reason: 'a changed image is drift on its element path', want: ['spec.template.spec.containers[app].image'],
    live: live({ replicas: 2, template: { spec: { containers: [{ name: 'app', image: 'a:2', ports: [{ containerPort: 80, protocol: 'TCP' }] }] } } }) },
  { reason: 'a field platformd applied and no longer sets is a removal', want: ['spec.template.spec.containers[app].env'],
    live: live({ replicas: 2, template: { spec: { containers: [{ name: 'app', image: 'a:1', env: [{ name: 'X', value: '1' }], ports: [{ containerPort: 80, protocol: 'TCP' }] }] } } }) },
  { reason: 'a field someone else forced away is drift though platformd no longer owns it', want: ['spec.replicas'],
    live: live({ replicas: 5, template: { spec: { containers: [{ name: 'app', image: 'a:1', ports: [{ containerPort: 80, protocol: 'TCP' }] }] } } }) },
  { reason: 'never applied by platformd: subset comparison, no removals', want: [],
    live: live({ replicas: 2, template: { spec: { containers: [{ name: 'app', image: 'a:1', env: [], ports: [{ containerPort: 80, protocol: 'TCP' }] }] } } }, []) },
];
for (const c of cases) {
  t.test(c.reason, async (t) => {
    t.same(diffOwned(desired, c.live).fields.map((f) => f.path), c.want);
  });
}

t.test('which side moved: a field another manager took is "outside", one platformd still owns or nobody owns is "spec"', async (t) => {
  const took = { manager: 'kubectl-edit', operation: 'Update', fieldsType: 'FieldsV1', fieldsV1: { 'f:spec': { 'f:replicas': {} } } };
  const mineWithoutReplicas = applied({ 'f:metadata': { 'f:name': {} }, 'f:spec': { 'f:template': { 'f:spec': { 'f:containers': {
    'k:{"name":"app"}': { '.': {}, 'f:name': {}, 'f:image': {}, 'f:ports': { 'k:{"containerPort":80,"protocol":"TCP"}': { '.': {}, 'f:containerPort': {}, 'f:protocol': {} } } } } } } } });
  const container = (image: string) => ({ template: { spec: { containers: [{ name: 'app', image, ports: [{ containerPort: 80, protocol: 'TCP' }] }] } } });
  const origins = (l: Record<string, unknown>, want: Record<string, unknown> = desired) => diffOwned(want, l).origins;
  t.same(origins(live({ replicas: 5, ...container('a:1') }, [...mineWithoutReplicas, took])), { 'spec.replicas': 'outside' }, 'kubectl edit took replicas');
  const newImage = { ...desired, spec: { ...desired.spec, ...container('a:2') } };
  t.same(origins(live({ replicas: 2, ...container('a:1') }), newImage), { 'spec.template.spec.containers[app].image': 'spec' }, 'the spec changed the image platformd owns');
  t.same(origins(live({ replicas: 5, ...container('a:1') }, [...mineWithoutReplicas, took]), newImage),
    { 'spec.replicas': 'outside', 'spec.template.spec.containers[app].image': 'spec' }, 'both in one object');
  const withMinReady = { ...desired, spec: { ...desired.spec, minReadySeconds: 5 } };
  t.same(origins(live({ replicas: 2, ...container('a:1') }), withMinReady), { 'spec.minReadySeconds': 'spec' }, 'a field the spec adds, owned by no one');
  t.same(origins(live({ replicas: 2, ...container('a:1'), paused: true }, [...applied({ 'f:spec': { 'f:replicas': {}, 'f:paused': {} } })])), { 'spec.paused': 'spec' },
    'a field platformd applied and no longer sets: the spec dropped it');
});
