// The Ready Nodes the kubelets and the VPC CNI place pods on, kept from change events: they
// follow readiness and deletion, come in the API server's list order, and cost no list per read.
import t from 'tap';
import { KubeStore, type KubeObject } from '../../../../src/sandbox/kube/store.js';
import { watchReadyNodes } from '../../../../src/sandbox/controllers/ready-nodes.js';

const node = (name: string, ready: boolean): KubeObject => ({ apiVersion: 'v1', kind: 'Node', metadata: { name }, status: { conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }] } });

t.test('ready nodes follow readiness and deletion, in list order, without listing Nodes again', async (t) => {
  const store = new KubeStore();
  const nodes = store.resource('v1', 'Node')!;
  store.create(nodes, node('node-c', true));
  store.create(nodes, node('node-x', false));
  let changes = 0;
  const ready = watchReadyNodes(store, () => changes++);
  t.teardown(ready.stop);
  t.same(ready.names(), ['node-c']);
  let lists = 0;
  const { list } = store;
  store.list = (...args) => { lists++; return list.apply(store, args); };
  store.create(nodes, node('node-a', true));
  store.mergePatch(nodes, undefined, 'node-x', { status: { conditions: [{ type: 'Ready', status: 'True' }] } }, true);
  t.same(ready.names(), ['node-a', 'node-c', 'node-x']);
  store.mergePatch(nodes, undefined, 'node-c', { status: { conditions: [{ type: 'Ready', status: 'False' }] } }, true);
  store.delete(nodes, undefined, 'node-a');
  t.same(ready.names(), ['node-x']);
  t.equal(changes, 4, 'told of every Node change');
  t.equal(lists, 0, 'no list after the first read');
});
