// eks/addon's observation resolves EKS's default version for add-ons the spec does not pin, into
// the observed state: the desired graph is never written to (issue 12), and the pure diff still
// sees a default that moved on. Clusters to look inside come from the desired nodes, not the spec.
import t from 'tap';
import type { Desired, KindContext } from '../../../../src/resources/kind.js';
import { addonKind } from '../../../../src/resources/eks/addon.js';

type Sent = { constructor: { name: string }; input: Record<string, unknown> };

function fakeContext(installed: string): { ctx: KindContext; sent: string[] } {
  const sent: string[] = [];
  const answers: Record<string, (input: Record<string, unknown>) => unknown> = {
    // The named cluster exists but carries no ownership tags: the read falls back to the listing.
    DescribeClusterCommand: (input) => ({ cluster: { name: input.name, tags: {} } }),
    ListClustersCommand: () => ({ clusters: [] }),
    DescribeAddonVersionsCommand: (input) => ({ addons: [{ addonVersions: [
      { addonVersion: 'v1.19.5-eksbuild.3', compatibilities: [{ clusterVersion: input.kubernetesVersion, defaultVersion: true }] }] }] }),
    ListAddonsCommand: (input) => ({ addons: input.clusterName === 'demo' ? ['vpc-cni'] : [] }),
    DescribeAddonCommand: () => ({ addon: { clusterName: 'demo', addonName: 'vpc-cni', addonVersion: installed, status: 'ACTIVE',
      tags: { 'platformd.dev/platform': 'demo', 'platformd.dev/id': 'eks/addon/vpc-cni' } } }),
  };
  const eks = { send: async (command: Sent) => { sent.push(`${command.constructor.name}:${String(command.input.clusterName ?? '')}`); return answers[command.constructor.name]!(command.input); } };
  const ctx = { platform: 'demo', region: 'eu-west-1', aws: { eks }, memo: <T,>(_k: string, read: () => Promise<T>) => read() } as unknown as KindContext;
  return { ctx, sent };
}

const desired = (): Desired<Parameters<typeof addonKind.node>[1] & { name: string; clusterName: string; kubernetesVersion: string }> => ({
  id: 'eks/addon/vpc-cni', kind: addonKind.kind, dependsOn: [],
  properties: { clusterName: 'demo', name: 'vpc-cni', kubernetesVersion: '1.35' },
});

t.test('the default version is observed, never written into the desired node', async (t) => {
  const { ctx, sent } = fakeContext('v1.19.2-eksbuild.1');
  const node = desired();
  const before = structuredClone(node);
  const [live] = await addonKind.observeAll(ctx, [node as never]);
  t.same(node, before, 'the desired node is unchanged');
  t.equal(live!.state.defaultVersion, 'v1.19.5-eksbuild.3');
  t.same(addonKind.diff(node.properties as never, live!).fields, [{ path: 'version', old: 'v1.19.2-eksbuild.1', new: 'v1.19.5-eksbuild.3' }],
    'an add-on behind EKS\'s default is drift towards it');
  t.ok(sent.includes('ListAddonsCommand:demo'), 'looked inside the cluster the desired node names (no cluster is tagged as ours)');
});

t.test('a pinned version wins over the default; in sync reads as no change', async (t) => {
  const { ctx } = fakeContext('v1.19.5-eksbuild.3');
  const node = desired();
  const [live] = await addonKind.observeAll(ctx, [node as never]);
  t.same(addonKind.diff(node.properties as never, live!).fields, [], 'at the default: no change');
  t.same(addonKind.diff({ ...node.properties, version: 'v1.18.6-eksbuild.1' } as never, live!).fields.map((f) => f.new), ['v1.18.6-eksbuild.1'], 'a pin wins');
});
