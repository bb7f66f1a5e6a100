// The sandbox API server's defaulting matches kube-apiserver's defaults.go for the kinds platformd applies.
import t from 'tap';
import { applyDefaults } from '../../../../src/sandbox/kube/defaults.js';
import type { KubeObject } from '../../../../src/sandbox/kube/store.js';

const ip = () => '10.100.0.1';

t.test('a container gets its pull policy from the tag, as SetDefaults_Container decides it', async (t) => {
  const cases = [
    { image: 'nginx', want: 'Always', reason: 'no tag means latest' },
    { image: 'nginx:latest', want: 'Always', reason: 'latest is pulled every time' },
    { image: 'nginx:1.27', want: 'IfNotPresent', reason: 'a pinned tag is not re-pulled' },
    { image: 'registry:5000/app', want: 'Always', reason: 'a registry port is not a tag' },
    { image: 'app@sha256:abc', want: 'IfNotPresent', reason: 'a digest is not latest' },
  ];
  for (const c of cases) {
    const d: KubeObject = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'x' }, spec: { template: { spec: { containers: [{ name: 'c', image: c.image }] } } } };
    applyDefaults(d, undefined, ip);
    t.equal(d.spec.template.spec.containers[0].imagePullPolicy, c.want, c.reason);
  }
});

t.test('a Deployment is defaulted as apps/v1 and core/v1 default it', async (t) => {
  const d: KubeObject = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'x' }, spec: { template: { spec: { containers: [
    { name: 'c', image: 'a:1', ports: [{ containerPort: 80 }], readinessProbe: { grpc: { port: 80 } }, livenessProbe: { httpGet: { port: 80 }, periodSeconds: 5 } }] } } } };
  applyDefaults(d, undefined, ip);
  t.match(d.spec, { replicas: 1, revisionHistoryLimit: 10, progressDeadlineSeconds: 600, strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } } });
  t.match(d.spec.template.spec, { dnsPolicy: 'ClusterFirst', restartPolicy: 'Always', securityContext: {}, terminationGracePeriodSeconds: 30, schedulerName: 'default-scheduler' });
  const c = d.spec.template.spec.containers[0];
  t.match(c, { terminationMessagePath: '/dev/termination-log', terminationMessagePolicy: 'File', ports: [{ containerPort: 80, protocol: 'TCP' }] });
  t.same(c.readinessProbe, { grpc: { port: 80, service: '' }, timeoutSeconds: 1, periodSeconds: 10, successThreshold: 1, failureThreshold: 3 });
  t.match(c.livenessProbe, { periodSeconds: 5, httpGet: { path: '/', scheme: 'HTTP' } }, 'a set value is kept');
});

t.test('webhooks, Services, bindings and CRDs get their server defaults', async (t) => {
  const hooks: KubeObject = { apiVersion: 'admissionregistration.k8s.io/v1', kind: 'MutatingWebhookConfiguration', metadata: { name: 'h' },
    webhooks: [{ name: 'a', sideEffects: 'None', admissionReviewVersions: ['v1'], clientConfig: { service: { name: 's', namespace: 'n' } }, rules: [{ operations: ['CREATE'] }] }] };
  applyDefaults(hooks, undefined, ip);
  t.match(hooks.webhooks[0], { failurePolicy: 'Fail', matchPolicy: 'Equivalent', namespaceSelector: {}, objectSelector: {}, timeoutSeconds: 10, reinvocationPolicy: 'Never',
    clientConfig: { service: { port: 443 } }, rules: [{ scope: '*' }] });
  const svc: KubeObject = { apiVersion: 'v1', kind: 'Service', metadata: { name: 's' }, spec: { ports: [{ port: 443 }] } };
  applyDefaults(svc, undefined, ip);
  t.match(svc.spec, { type: 'ClusterIP', sessionAffinity: 'None', ports: [{ port: 443, targetPort: 443, protocol: 'TCP' }], clusterIP: '10.100.0.1', ipFamilies: ['IPv4'], ipFamilyPolicy: 'SingleStack', internalTrafficPolicy: 'Cluster' });
  const rb: KubeObject = { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: { name: 'b' }, roleRef: { kind: 'Role', name: 'r' }, subjects: [{ kind: 'ServiceAccount', name: 'x' }, { kind: 'User', name: 'u' }] };
  applyDefaults(rb, undefined, ip);
  t.match(rb, { roleRef: { apiGroup: 'rbac.authorization.k8s.io' }, subjects: [{ apiGroup: '' }, { apiGroup: 'rbac.authorization.k8s.io' }] });
  const crd: KubeObject = { apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name: 'ts.x.io' }, spec: { names: { kind: 'T', plural: 'ts' }, versions: [{ name: 'v1', served: true, storage: true }] } };
  applyDefaults(crd, undefined, ip);
  t.match(crd, { spec: { names: { singular: 't', listKind: 'TList' }, conversion: { strategy: 'None' } }, status: { storedVersions: ['v1'] } });
});
