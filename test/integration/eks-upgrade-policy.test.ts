// cluster.upgradePolicy reaches EKS (CreateCluster, then UpdateClusterConfig when it changes), and
// node groups get the AMI type of their instance types' architecture; the emulated EKS keeps its
// calendar (no cluster on a version past extended support, no STANDARD policy on one in it).
import t from 'tap';
import { CreateClusterCommand, DescribeClusterCommand, DescribeNodegroupCommand, UpdateClusterConfigCommand } from '@aws-sdk/client-eks';
import { startTestSandbox } from '../helpers/sandbox.js';
import { referenceSpec } from '../helpers/specs.js';
import { applyPlatform, planPlatform } from '../../src/engine.js';
import { versionStatus } from '../../src/sandbox/aws/services/eks/versions.js';

const LAYERS = ['network', 'iam', 'eks'] as const;

t.test('upgradePolicy and the AMI type go to EKS; a policy change is an in-place update', async (t) => {
  const sb = await startTestSandbox();
  t.teardown(sb.close);
  const spec = await referenceSpec((s) => {
    s.cluster!.nodeGroups.push({ ...s.cluster!.nodeGroups[0]!, name: 'graviton', instanceTypes: ['m7g.large', 'c7g.large'] });
  });
  const opts = { spec, aws: sb.clients, layers: [...LAYERS] };
  t.ok((await applyPlatform(opts)).ok);

  const describe = async () => (await sb.clients.eks.send(new DescribeClusterCommand({ name: 'grpc-demo' }))).cluster!;
  t.equal((await describe()).upgradePolicy?.supportType, 'STANDARD', 'the spec default was sent (EKS would default to EXTENDED)');
  const amiType = async (name: string) => (await sb.clients.eks.send(new DescribeNodegroupCommand({ clusterName: 'grpc-demo', nodegroupName: name }))).nodegroup!.amiType;
  t.equal(await amiType('default'), 'AL2023_x86_64_STANDARD', 'm6i → x86_64');
  t.equal(await amiType('graviton'), 'AL2023_ARM_64_STANDARD', 'm7g/c7g → arm64');

  const extended = { ...opts, spec: await referenceSpec((s) => {
    s.cluster!.nodeGroups.push({ ...s.cluster!.nodeGroups[0]!, name: 'graviton', instanceTypes: ['m7g.large', 'c7g.large'] });
    s.cluster!.upgradePolicy = 'EXTENDED';
  }) };
  const plan = await planPlatform(extended);
  t.same(plan.plan.changes.map((c) => ({ id: c.id, action: c.action, fields: c.fields })),
    [{ id: 'eks/cluster', action: '~', fields: [{ path: 'upgradePolicy', old: 'STANDARD', new: 'EXTENDED' }] }], 'one in-place change');
  const mark = sb.aws.callLog.mark();
  t.ok((await applyPlatform({ ...extended, plan })).ok);
  t.ok(sb.aws.callLog.since(mark).some((c) => c.operation === 'UpdateClusterConfig' && c.status === 200), 'UpdateClusterConfig carried it');
  t.equal((await describe()).upgradePolicy?.supportType, 'EXTENDED');
  t.same((await planPlatform(extended)).plan.changes, [], 'converged');
});

t.test('the emulated EKS keeps the calendar', async (t) => {
  const sb = await startTestSandbox();
  t.teardown(sb.close);
  t.ok((await applyPlatform({ spec: await referenceSpec(), aws: sb.clients, layers: [...LAYERS] })).ok);
  const demo = (await sb.clients.eks.send(new DescribeClusterCommand({ name: 'grpc-demo' }))).cluster!;
  const create = (name: string, version: string) => sb.clients.eks.send(new CreateClusterCommand({
    name, version, roleArn: demo.roleArn, resourcesVpcConfig: { subnetIds: demo.resourcesVpcConfig!.subnetIds },
  }));

  await t.rejects(create('too-old', '1.31'), { name: 'InvalidParameterException', message: /unsupported Kubernetes version 1\.31/ }, 'extended support for 1.31 ended 2026-11-26');

  // Whichever version is in extended support on the day the test runs (1.33 and 1.32 on 2026-11-30).
  const inExtended = ['1.32', '1.33', '1.34', '1.35'].find((v) => versionStatus(v, Date.now()) === 'EXTENDED_SUPPORT');
  if (!inExtended) {
    t.comment('no version in extended support today: nothing more to check');
    return;
  }
  const created = (await create('old-but-paid', inExtended)).cluster!;
  t.equal(created.upgradePolicy?.supportType, 'EXTENDED', 'EKS defaults to EXTENDED');
  const deadline = Date.now() + 60_000; // bounds a hang only
  for (let status = created.status; status !== 'ACTIVE'; await new Promise((r) => setTimeout(r, 50))) {
    if (Date.now() > deadline) throw new Error(`cluster old-but-paid still ${status}`);
    status = (await sb.clients.eks.send(new DescribeClusterCommand({ name: 'old-but-paid' }))).cluster!.status;
  }
  await t.rejects(sb.clients.eks.send(new UpdateClusterConfigCommand({ name: 'old-but-paid', upgradePolicy: { supportType: 'STANDARD' } })),
    { name: 'InvalidParameterException', message: /extended support/ }, 'extended support cannot be turned off once the cluster is in it');
});
