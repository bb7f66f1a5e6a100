// The emulated kubelets and endpoint-slice sync work per change (issue 19): a change to one
// Deployment reads that Deployment, not every Deployment of the cluster, and slices follow the
// Services and Pods that changed — while Deployments not yet running are still retried.
import t from 'tap';
import { KubeStore, type KubeObject } from '../../../../src/sandbox/kube/store.js';
import { startDeploymentController } from '../../../../src/sandbox/controllers/deployment.js';
import { nullRuntime } from '../../../../src/sandbox/container-runtime.js';
import type { PodAddress, PodNetwork } from '../../../../src/sandbox/pod-network.js';

function readyNode(name: string): KubeObject {
  return { apiVersion: 'v1', kind: 'Node', metadata: { name }, status: { conditions: [{ type: 'Ready', status: 'True' }] } };
}

function deployment(name: string, replicas = 1): KubeObject {
  return { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name, namespace: 'default' },
    spec: { replicas, selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'app', image: 'echo', ports: [{ containerPort: 50051 }] }] } } } };
}

function service(name: string, app = name): KubeObject {
  return { apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: 'default' }, spec: { selector: { app }, ports: [{ port: 50051, targetPort: 50051 }] } };
}

/** Counts the Deployments the store hands out (get, tryGet and list), by name. */
function countDeploymentReads(store: KubeStore): Map<string, number> {
  const reads = new Map<string, number>();
  const count = (objects: KubeObject[]) => { for (const o of objects) if (o.kind === 'Deployment') reads.set(o.metadata.name, (reads.get(o.metadata.name) ?? 0) + 1); };
  const { list, tryGet } = store;
  store.list = (...args) => { const out = list.apply(store, args); count(out); return out; };
  store.tryGet = (...args) => { const out = tryGet.apply(store, args); if (out) count([out]); return out; };
  return reads;
}

/** Until no pass is queued: a pass's own status writes queue the next one. */
async function settle(controller: { idle(): Promise<void> }): Promise<void> {
  for (let i = 0; i < 10; i++) {
    await controller.idle();
    await new Promise((r) => setImmediate(r));
  }
}

const slice = (store: KubeStore, name: string) => store.tryGet(store.resource('discovery.k8s.io/v1', 'EndpointSlice')!, 'default', `${name}-sandbox`);
const res = (store: KubeStore, apiVersion: string, kind: string) => store.resource(apiVersion, kind)!;

t.test('a change to one Deployment reads that Deployment, not the others', async (t) => {
  const store = new KubeStore();
  store.create(res(store, 'v1', 'Node'), readyNode('node-a'));
  for (let i = 0; i < 20; i++) store.create(res(store, 'apps/v1', 'Deployment'), deployment(`svc-${i}`));
  const controller = startDeploymentController(store, () => nullRuntime);
  t.teardown(() => controller.stop());
  await settle(controller);
  t.equal(store.get(res(store, 'apps/v1', 'Deployment'), 'default', 'svc-7').status?.availableReplicas, 1, 'every Deployment ran');

  const reads = countDeploymentReads(store);
  const listed: string[] = [];
  const { list } = store;
  store.list = (...args) => { listed.push(args[0].kind); return list.apply(store, args); };
  store.mergePatch(res(store, 'apps/v1', 'Deployment'), 'default', 'svc-7', { spec: { replicas: 2 } });
  await settle(controller);
  t.equal(store.get(res(store, 'apps/v1', 'Deployment'), 'default', 'svc-7').status?.availableReplicas, 2, 'the changed Deployment scaled');
  t.same([...reads.keys()], ['svc-7'], 'no other Deployment was read');
  t.same(listed, [], 'nothing was listed: not the Nodes, not the Pods, not the Services');
  store.list = list;
  store.mergePatch(res(store, 'apps/v1', 'Deployment'), 'default', 'svc-7', { spec: { replicas: 1 } });
  await settle(controller);
  t.same(store.list(res(store, 'v1', 'Pod')).map((p) => p.metadata.name).filter((n) => n.startsWith('svc-7-')), ['svc-7-3-0'], 'scaled down: the previous generation\'s pods are gone');
});

t.test('a Service selects its Pods by every label of its selector, and only in its namespace', async (t) => {
  const store = new KubeStore();
  store.create(res(store, 'v1', 'Namespace'), { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'other' } });
  store.create(res(store, 'v1', 'Node'), readyNode('node-a'));
  const tiered = (name: string, tier: string, namespace = 'default') => {
    const d = deployment(name);
    d.metadata.namespace = namespace;
    d.spec.template.metadata.labels = { app: 'shop', tier };
    return d;
  };
  store.create(res(store, 'apps/v1', 'Deployment'), tiered('web', 'web'));
  store.create(res(store, 'apps/v1', 'Deployment'), tiered('api', 'api'));
  store.create(res(store, 'apps/v1', 'Deployment'), tiered('web-elsewhere', 'web', 'other'));
  store.create(res(store, 'v1', 'Service'), { ...service('front'), spec: { selector: { app: 'shop', tier: 'web' }, ports: [{ port: 50051 }] } });
  store.create(res(store, 'v1', 'Service'), { ...service('all'), spec: { selector: {}, ports: [{ port: 50051 }] } });
  const controller = startDeploymentController(store, () => nullRuntime);
  t.teardown(() => controller.stop());
  await settle(controller);
  const members = (name: string) => (slice(store, name)?.endpoints ?? []).map((e: { targetRef: { name: string } }) => e.targetRef.name);
  t.same(members('front'), ['web-1-0']);
  t.same(members('all'), ['api-1-0', 'web-1-0'], 'an empty selector selects every Pod of the namespace, in list order');
});

t.test('a Node change reconciles every Deployment: replicas follow the ready nodes', async (t) => {
  const store = new KubeStore();
  for (let i = 0; i < 3; i++) store.create(res(store, 'apps/v1', 'Deployment'), deployment(`svc-${i}`));
  const controller = startDeploymentController(store, () => nullRuntime);
  t.teardown(() => controller.stop());
  await settle(controller);
  t.equal(store.list(res(store, 'v1', 'Pod')).length, 0, 'no pods without a ready node');
  store.create(res(store, 'v1', 'Node'), readyNode('node-a'));
  await settle(controller);
  t.same(store.list(res(store, 'v1', 'Pod')).map((p) => p.metadata.name), ['svc-0-1-0', 'svc-1-1-0', 'svc-2-1-0']);
});

t.test('a Deployment whose pods have no address is retried when addresses appear, without any change to it', async (t) => {
  const store = new KubeStore();
  store.create(res(store, 'v1', 'Node'), readyNode('node-a'));
  let free = 1;
  const listeners = new Set<() => void>();
  const network: PodNetwork = {
    assign: (): PodAddress => (free > 0 ? (free--, { ok: true, ip: '10.0.0.9', node: 'node-a' }) : { ok: false, reason: 'no free address' }),
    release: () => undefined,
    onChange: (l) => { listeners.add(l); return () => listeners.delete(l); },
  };
  store.create(res(store, 'apps/v1', 'Deployment'), deployment('svc-a', 2));
  const controller = startDeploymentController(store, () => nullRuntime, network);
  t.teardown(() => controller.stop());
  await settle(controller);
  t.equal(store.get(res(store, 'v1', 'Pod'), 'default', 'svc-a-1-1').status?.phase, 'Pending', 'the second pod waits for an address');
  store.create(res(store, 'apps/v1', 'Deployment'), deployment('svc-b'));
  await settle(controller);
  free = 2;
  for (const l of listeners) l();
  await settle(controller);
  t.equal(store.get(res(store, 'v1', 'Pod'), 'default', 'svc-a-1-1').status?.phase, 'Running', 'the pending pod got its address');
  t.equal(store.get(res(store, 'apps/v1', 'Deployment'), 'default', 'svc-a').status?.availableReplicas, 2);
});

t.test('EndpointSlices follow a Service whose selector moves to other Pods, and a deleted Deployment\'s Pods leave them', async (t) => {
  const store = new KubeStore();
  store.create(res(store, 'v1', 'Node'), readyNode('node-a'));
  store.create(res(store, 'apps/v1', 'Deployment'), deployment('blue'));
  store.create(res(store, 'apps/v1', 'Deployment'), deployment('green'));
  store.create(res(store, 'v1', 'Service'), service('front', 'blue'));
  const controller = startDeploymentController(store, () => nullRuntime);
  t.teardown(() => controller.stop());
  await settle(controller);
  const members = () => (slice(store, 'front')?.endpoints ?? []).map((e: { targetRef: { name: string } }) => e.targetRef.name);
  t.same(members(), ['blue-1-0']);
  store.mergePatch(res(store, 'v1', 'Service'), 'default', 'front', { spec: { selector: { app: 'green' } } });
  await settle(controller);
  t.same(members(), ['green-1-0'], 'the slice follows the selector');
  store.delete(res(store, 'apps/v1', 'Deployment'), 'default', 'green');
  store.create(res(store, 'apps/v1', 'Deployment'), deployment('other'));
  await settle(controller);
  t.same(members(), [], 'the deleted Deployment\'s pod left the slice');
});

t.test('a Deployment counts only its own pods as ready, not those of a Deployment whose name extends its own', async (t) => {
  const store = new KubeStore();
  store.create(res(store, 'v1', 'Node'), readyNode('node-a'));
  // Addresses only for web-1's pods: web's pod stays Pending.
  const network: PodNetwork = {
    assign: (podKey): PodAddress => (podKey.startsWith('default/web-1-1-') ? { ok: true, ip: '10.0.0.7', node: 'node-a' } : { ok: false, reason: 'no free address' }),
    release: () => undefined,
    onChange: () => () => undefined,
  };
  store.create(res(store, 'apps/v1', 'Deployment'), deployment('web-1'));
  store.create(res(store, 'apps/v1', 'Deployment'), deployment('web'));
  const controller = startDeploymentController(store, () => nullRuntime, network);
  t.teardown(() => controller.stop());
  await settle(controller);
  t.equal(store.get(res(store, 'v1', 'Pod'), 'default', 'web-1-0').status?.phase, 'Pending', 'web\'s pod has no address');
  t.equal(store.get(res(store, 'apps/v1', 'Deployment'), 'default', 'web-1').status?.availableReplicas, 1);
  t.equal(store.get(res(store, 'apps/v1', 'Deployment'), 'default', 'web').status?.availableReplicas, 0, 'web-1\'s running pod is not web\'s');
});

t.test('a pass that fails part-way is made good by the next pass, whatever wakes it', async (t) => {
  const store = new KubeStore();
  store.create(res(store, 'v1', 'Node'), readyNode('node-a'));
  const { mergePatch } = store;
  let failures = 1;
  store.mergePatch = (...args) => {
    if (args[0].kind === 'Deployment' && failures > 0) {
      failures--;
      throw new Error('etcdserver: request timed out');
    }
    return mergePatch.apply(store, args);
  };
  const controller = startDeploymentController(store, () => nullRuntime);
  t.teardown(() => controller.stop());
  await settle(controller);
  store.create(res(store, 'apps/v1', 'Deployment'), deployment('svc-a'));
  store.create(res(store, 'apps/v1', 'Deployment'), deployment('svc-b'));
  await settle(controller);
  store.create(res(store, 'v1', 'Service'), service('unrelated'));
  await settle(controller);
  t.equal(store.get(res(store, 'apps/v1', 'Deployment'), 'default', 'svc-a').status?.availableReplicas, 1);
  t.equal(store.get(res(store, 'apps/v1', 'Deployment'), 'default', 'svc-b').status?.availableReplicas, 1);
});
