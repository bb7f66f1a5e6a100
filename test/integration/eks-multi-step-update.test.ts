// Updates EKS runs one at a time (issue 12): a version bump together with an endpoint change,
// and a node group version bump together with a scaling change, converge in one apply. The kinds
// send one step and return; the engine waits for ACTIVE, diffs again and sends the next — so EKS
// never refuses a step for an update still in progress.
import t from 'tap';
import { startTestSandbox } from '../helpers/sandbox.js';
import { referenceSpec } from '../helpers/specs.js';
import { applyPlatform, planPlatform } from '../../src/engine.js';

const LAYERS: ('network' | 'iam' | 'eks')[] = ['network', 'iam', 'eks'];
const UPDATES = ['UpdateClusterVersion', 'UpdateClusterConfig', 'UpdateNodegroupVersion', 'UpdateNodegroupConfig'];

t.test('version and config changes in one apply: one step per round, each after ACTIVE', async (t) => {
  // A small scale so each update really spends time UPDATING.
  const sb = await startTestSandbox({ timeScale: 1 / 3000 });
  t.teardown(sb.close);
  t.ok((await applyPlatform({ spec: await referenceSpec(), aws: sb.clients, layers: LAYERS })).ok, 'the reference platform applied');

  const changed = await referenceSpec((s) => {
    s.cluster!.version = '1.36';
    s.cluster!.endpointAccess = { ...s.cluster!.endpointAccess, publicCidrs: ['203.0.113.0/24'] };
    s.cluster!.nodeGroups[0]!.scaling = { ...s.cluster!.nodeGroups[0]!.scaling, desired: 4 };
  });
  const plan = await planPlatform({ spec: changed, aws: sb.clients, layers: LAYERS });
  const fieldsOf = (id: string) => plan.plan.changes.find((c) => c.id === id)?.fields.map((f) => f.path).sort();
  t.same(fieldsOf('eks/cluster'), ['publicAccessCidrs', 'version'], 'the cluster: a version and an endpoint change');
  t.same(fieldsOf('eks/nodegroup/default'), ['scaling.desiredSize', 'version'], 'the node group: a version and a scaling change');

  const mark = sb.aws.callLog.mark();
  const result = await applyPlatform({ spec: changed, aws: sb.clients, layers: LAYERS, plan });
  t.ok(result.ok, JSON.stringify(result.failed));

  const calls = sb.aws.callLog.since(mark);
  const updates = calls.filter((c) => UPDATES.includes(c.operation));
  t.same(updates.filter((c) => c.status !== 200).map((c) => `${c.operation} ${c.status}`), [], 'EKS refused no update step (none sent while another ran)');
  const ok = updates.map((c) => c.operation);
  t.same(ok.filter((op) => op.startsWith('UpdateCluster')), ['UpdateClusterVersion', 'UpdateClusterConfig'], 'the cluster: version first, then the config, once each');
  t.same(ok.filter((op) => op.startsWith('UpdateNodegroup')), ['UpdateNodegroupVersion', 'UpdateNodegroupConfig'], 'the node group: version first, then the config, once each');
  const at = (op: string) => calls.findIndex((c) => c.operation === op && c.status === 200);
  t.ok(calls.slice(at('UpdateClusterVersion'), at('UpdateClusterConfig')).some((c) => c.operation === 'DescribeCluster'), 'the cluster polled between its steps');
  t.ok(calls.slice(at('UpdateNodegroupVersion'), at('UpdateNodegroupConfig')).some((c) => c.operation === 'DescribeNodegroup'), 'the node group polled between its steps');
  t.same((await planPlatform({ spec: changed, aws: sb.clients, layers: LAYERS })).plan.changes, [], 'converged: nothing left to change');
});
