// A fresh apply creates the add-ons a node needs (vpc-cni, pod identity) before the node groups
// and the add-ons that need nodes to run (coredns) after every node group is ACTIVE, as EKS needs.
import t from 'tap';
import { DescribeAddonCommand } from '@aws-sdk/client-eks';
import { startTestSandbox } from '../helpers/sandbox.js';
import { referenceSpec } from '../helpers/specs.js';
import { applyPlatform } from '../../src/engine.js';

const LAYERS: ('network' | 'iam' | 'eks')[] = ['network', 'iam', 'eks'];

interface Call { operation: string; input: unknown }
const named = (c: Call, key: string, value: string) => (c.input as Record<string, unknown>)[key] === value;

t.test('coredns is created after every node group, the node prerequisites before them', async (t) => {
  // A small scale so node groups really spend time CREATING and the order is observable.
  const sb = await startTestSandbox({ timeScale: 1 / 3000 });
  t.teardown(sb.close);
  const spec = await referenceSpec((s) => {
    s.cluster!.nodeGroups.push({ name: 'batch', instanceTypes: ['m6i.large'], scaling: { min: 1, desired: 1, max: 2 } });
  });
  const mark = sb.aws.callLog.mark();
  const result = await applyPlatform({ spec, aws: sb.clients, layers: LAYERS });
  t.ok(result.ok, JSON.stringify(result.failed));

  const calls = sb.aws.callLog.since(mark).filter((c) => c.service === 'eks' && c.status === 200);
  const createAddon = (name: string) => calls.findIndex((c) => c.operation === 'CreateAddon' && named(c, 'addonName', name));
  const createNodegroup = (name: string) => calls.findIndex((c) => c.operation === 'CreateNodegroup' && named(c, 'nodegroupName', name));
  const firstNodegroup = Math.min(createNodegroup('default'), createNodegroup('batch'));
  const lastNodegroup = Math.max(createNodegroup('default'), createNodegroup('batch'));
  t.ok(firstNodegroup >= 0, 'both node groups were created');
  for (const addon of ['vpc-cni', 'eks-pod-identity-agent']) {
    t.ok(createAddon(addon) >= 0 && createAddon(addon) < firstNodegroup, `${addon} before the node groups`);
  }
  const coredns = createAddon('coredns');
  t.ok(coredns > lastNodegroup, `coredns after every node group (CreateAddon coredns #${coredns}, last CreateNodegroup #${lastNodegroup})`);
  for (const ng of ['default', 'batch']) {
    const polls = calls.slice(createNodegroup(ng), coredns).filter((c) => c.operation === 'DescribeNodegroup' && named(c, 'nodegroupName', ng));
    t.ok(polls.length > 0, `node group ${ng} was waited for before coredns`);
  }
  const addon = (await sb.clients.eks.send(new DescribeAddonCommand({ clusterName: 'grpc-demo', addonName: 'coredns' }))).addon!;
  t.equal(addon.status, 'ACTIVE', 'coredns found Ready nodes');
});
