// Issue 15: the EKS cluster, node groups and add-ons record what platformd applied (the
// applied-digest tag: in the create call's tags, by TagResource after an update's last step) and
// their changes say which side moved. Changes behind platformd's back go through the real SDK;
// platformd runs under exactly the shipped IAM policy, so the record's TagResource is proven allowed.
import t from 'tap';
import { readFileSync } from 'node:fs';
import { DescribeAddonCommand, DescribeClusterCommand, DescribeNodegroupCommand, UpdateAddonCommand, UpdateClusterConfigCommand, UpdateNodegroupConfigCommand } from '@aws-sdk/client-eks';
import { startTestSandbox } from '../helpers/sandbox.js';
import { referenceSpec } from '../helpers/specs.js';
import { applyPlatform, planPlatform } from '../../src/engine.js';
import { TAG_APPLIED_DIGEST } from '../../src/resources/applied-digest.js';
import type { ResolvedSpec } from '../../src/platform-spec/resolved.js';

const CLUSTER = 'eks/cluster';
const NODEGROUP = 'eks/nodegroup/default';
const KUBE_PROXY = 'eks/addon/kube-proxy';
const OLDER_KUBE_PROXY = 'v1.35.3-eksbuild.2';

t.test('cluster, node group, add-on: spec, outside and both; the record is never a change', async (t) => {
  const sb = await startTestSandbox({ principalPolicy: JSON.parse(readFileSync('ops/iam/platformd-policy.json', 'utf8')) as unknown });
  t.teardown(sb.close);
  const spec = await referenceSpec();
  const opts = (s: ResolvedSpec = spec) => ({ spec: s, aws: sb.clients, layers: ['network' as const, 'iam' as const, 'eks' as const] });
  const converged = await applyPlatform(opts());
  t.same(converged.failed, [], 'converged under the shipped policy');
  t.same((await planPlatform(opts())).plan.changes, [], 'the next plan is empty: the applied-digest tag is not a change');

  const { eks } = sb.clients;
  const live = async () => ({
    cluster: (await eks.send(new DescribeClusterCommand({ name: 'grpc-demo' }))).cluster!.tags,
    nodegroup: (await eks.send(new DescribeNodegroupCommand({ clusterName: 'grpc-demo', nodegroupName: 'default' }))).nodegroup!.tags,
    addon: (await eks.send(new DescribeAddonCommand({ clusterName: 'grpc-demo', addonName: 'kube-proxy' }))).addon!.tags,
  });
  for (const [what, tags] of Object.entries(await live())) t.match(tags?.[TAG_APPLIED_DIGEST], /^v1( [0-9a-f]{6})+$/, `the ${what} carries what platformd applied`);

  // (a) The spec changed: no public endpoint, a new node label, kube-proxy pinned to an older build.
  const changedSpec = await referenceSpec((s) => {
    s.cluster!.endpointAccess = { public: false, private: true };
    s.cluster!.nodeGroups[0]!.labels = { ...s.cluster!.nodeGroups[0]!.labels, team: 'payments' };
    s.cluster!.addons = { 'kube-proxy': { version: OLDER_KUBE_PROXY } };
  });
  const origins = async (s?: ResolvedSpec) => Object.fromEntries((await planPlatform(opts(s))).plan.changes.map((c) => [c.id, c.origin]));
  t.same(await origins(changedSpec), { [CLUSTER]: 'spec', [NODEGROUP]: 'spec', [KUBE_PROXY]: 'spec' });

  // (b) Changed behind platformd's back, with the real SDK.
  await eks.send(new UpdateClusterConfigCommand({ name: 'grpc-demo', resourcesVpcConfig: { publicAccessCidrs: ['203.0.113.0/24'] } }));
  await eks.send(new UpdateNodegroupConfigCommand({ clusterName: 'grpc-demo', nodegroupName: 'default', scalingConfig: { minSize: 2, desiredSize: 5, maxSize: 6 } }));
  await eks.send(new UpdateAddonCommand({ clusterName: 'grpc-demo', addonName: 'kube-proxy', addonVersion: OLDER_KUBE_PROXY }));
  t.same(await origins(), { [CLUSTER]: 'outside', [NODEGROUP]: 'outside', [KUBE_PROXY]: 'outside' });

  // (c) Both at once, each field named; kube-proxy is now where the changed spec pins it.
  const both = await planPlatform(opts(changedSpec));
  const byId = new Map(both.plan.changes.map((c) => [c.id, c]));
  t.same([...byId.keys()].sort(), [CLUSTER, NODEGROUP]);
  t.same(byId.get(CLUSTER)!.fieldOrigins, { endpointPublicAccess: 'spec', publicAccessCidrs: 'outside' });
  t.same(byId.get(NODEGROUP)!.fieldOrigins, { 'labels.team': 'spec', 'scaling.desiredSize': 'outside' });
  t.equal(byId.get(CLUSTER)!.origin, 'both');
  t.equal(byId.get(NODEGROUP)!.origin, 'both');

  // Applying records the new spec: the next plan is empty, and an edit outside after it reads as outside.
  const applied = await applyPlatform({ ...opts(changedSpec), plan: both });
  t.same(applied.failed, [], 'the update and its record are allowed by the shipped policy');
  const records = sb.aws.callLog.all().filter((c) => c.service === 'eks' && c.operation === 'TagResource');
  t.ok(records.length >= 2 && records.every((c) => c.status === 200), 'the cluster and node group updates were recorded with TagResource, allowed under enforcement');
  t.same((await planPlatform(opts(changedSpec))).plan.changes, [], 'converged on the changed spec, no churn from the rewritten record');
  await eks.send(new UpdateNodegroupConfigCommand({ clusterName: 'grpc-demo', nodegroupName: 'default', labels: { removeLabels: ['team'] } }));
  t.same(await origins(changedSpec), { [NODEGROUP]: 'outside' }, 'the record now holds the changed spec');
});

t.test('an update in several steps leaves a record of everything it applied', async (t) => {
  const sb = await startTestSandbox();
  t.teardown(sb.close);
  const opts = (s: ResolvedSpec) => ({ spec: s, aws: sb.clients, layers: ['network' as const, 'iam' as const, 'eks' as const] });
  t.ok((await applyPlatform(opts(await referenceSpec()))).ok, 'converged on 1.35');
  // Two cluster steps (version, then endpoint access) and two node group steps (version, then scaling).
  const bumped = await referenceSpec((s) => {
    s.cluster!.version = '1.36';
    s.cluster!.endpointAccess = { public: false, private: true };
    s.cluster!.nodeGroups[0]!.scaling.desired = 4;
  });
  const result = await applyPlatform(opts(bumped));
  t.same(result.failed, [], 'the steps applied');
  t.same((await planPlatform(opts(bumped))).plan.changes, [], 'converged on the bumped spec');

  // Undone outside: had the record been left at the first step's, these would read as spec changes.
  const { eks } = sb.clients;
  await eks.send(new UpdateClusterConfigCommand({ name: 'grpc-demo', resourcesVpcConfig: { endpointPublicAccess: true } }));
  await eks.send(new UpdateNodegroupConfigCommand({ clusterName: 'grpc-demo', nodegroupName: 'default', scalingConfig: { minSize: 2, desiredSize: 3, maxSize: 6 } }));
  const changes = (await planPlatform(opts(bumped))).plan.changes;
  t.same(Object.fromEntries(changes.map((c) => [c.id, c.fieldOrigins])), {
    [CLUSTER]: { endpointPublicAccess: 'outside' },
    [NODEGROUP]: { 'scaling.desiredSize': 'outside' },
  });
});
