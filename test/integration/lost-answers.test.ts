// A create whose answer is lost on the wire: the service made the object, platformd never heard.
// For every create operation the reference platform calls, in every layer, the answer to its
// first call is dropped: the apply still converges and no logical id is held by two objects.
// And when two objects do carry one logical id (planted here), the plan names the orphan and,
// with deletion allowed, removes it while the one the platform uses stays.
import t from 'tap';
import { CreateVpcCommand, DescribeVpcsCommand, type Tag } from '@aws-sdk/client-ec2';
import { startTestSandbox } from '../helpers/sandbox.js';
import { referenceSpec } from '../helpers/specs.js';
import { applyPlatform, planPlatform } from '../../src/engine.js';
import { clusterAccessFor } from '../../src/cloud/cluster-access.js';
import type { AwsClients } from '../../src/cloud/aws.js';
import { ownershipTags } from '../../src/resources/ownership.js';

const CREATE = /^(Create|Allocate|Request)/;

/** Every logical id tag on every listable object of the emulated EC2 (what a lost answer duplicates). */
async function ec2LogicalIds(aws: AwsClients): Promise<string[]> {
  const { DescribeVpcsCommand: V, DescribeSubnetsCommand: S, DescribeInternetGatewaysCommand: I, DescribeAddressesCommand: A,
    DescribeNatGatewaysCommand: N, DescribeRouteTablesCommand: R } = await import('@aws-sdk/client-ec2');
  const ids = (tags: Tag[] | undefined) => (tags ?? []).filter((x) => x.Key === 'platformd.dev/id').map((x) => x.Value!);
  const ec2 = aws.ec2;
  return [
    ...((await ec2.send(new V({}))).Vpcs ?? []).flatMap((x) => ids(x.Tags)),
    ...((await ec2.send(new S({}))).Subnets ?? []).flatMap((x) => ids(x.Tags)),
    ...((await ec2.send(new I({}))).InternetGateways ?? []).flatMap((x) => ids(x.Tags)),
    ...((await ec2.send(new A({}))).Addresses ?? []).flatMap((x) => ids(x.Tags)),
    ...((await ec2.send(new N({ Filter: [{ Name: 'state', Values: ['pending', 'available'] }] }))).NatGateways ?? []).flatMap((x) => ids(x.Tags)),
    ...((await ec2.send(new R({}))).RouteTables ?? []).flatMap((x) => ids(x.Tags)),
  ];
}

t.test('the first answer of every create operation is lost: converges, nothing duplicated', async (t) => {
  // Which create operations does converging the reference platform call? Learn them from a clean run.
  const clean = await startTestSandbox();
  const spec = await referenceSpec();
  t.ok((await applyPlatform({ spec, aws: clean.clients, kube: clusterAccessFor(spec, clean.clients) })).ok, 'a clean run converges');
  const creates = [...new Set(clean.aws.callLog.all().filter((c) => CREATE.test(c.operation) && c.status < 300).map((c) => `${c.service}:${c.operation}`))].sort();
  await clean.close();
  t.ok(creates.includes('ec2:CreateVpc') && creates.includes('ec2:AllocateAddress') && creates.includes('acm:RequestCertificate'), `create operations seen: ${creates.join(', ')}`);

  const sb = await startTestSandbox();
  t.teardown(sb.close);
  for (const key of creates) {
    const [service, operation] = key.split(':') as [string, string];
    sb.aws.faults.add({ kind: 'drop-response', service, operation, count: 1 });
  }
  const opts = { spec, aws: sb.clients, kube: clusterAccessFor(spec, sb.clients) };
  let result = await applyPlatform(opts);
  if (!result.ok) result = await applyPlatform(opts); // a lost answer may fail a run; the next one must converge
  t.ok(result.ok, `converges: ${JSON.stringify(result.failed)}`);
  const dropped = sb.aws.callLog.all().filter((c) => CREATE.test(c.operation)).length;
  t.ok(dropped >= creates.length, 'every create operation was called (and its first answer dropped)');
  const plan = (await planPlatform(opts)).plan;
  t.same(plan.changes.map((c) => `${c.action} ${c.id}`), [], 'the next plan is empty: no orphan left to report');

  const ids = await ec2LogicalIds(sb.clients);
  const twice = ids.filter((id, i) => ids.indexOf(id) !== i);
  t.same(twice, [], 'no logical id is carried by two EC2 objects');
  t.equal(new Set(ids).size, ids.length);
});

t.test('two live objects with one logical id: reported, and the unreferenced one removed when allowed', async (t) => {
  const sb = await startTestSandbox();
  t.teardown(sb.close);
  const spec = await referenceSpec();
  const opts = { spec, aws: sb.clients, layers: ['network' as const] };
  t.ok((await applyPlatform(opts)).ok, 'the network converges');
  const ours = (await sb.clients.ec2.send(new DescribeVpcsCommand({}))).Vpcs![0]!.VpcId!;

  // The orphan a lost CreateVpc answer leaves behind: same tags, nothing in it.
  const orphan = (await sb.clients.ec2.send(new CreateVpcCommand({ CidrBlock: '10.0.0.0/16',
    TagSpecifications: [{ ResourceType: 'vpc', Tags: ownershipTags(spec.metadata.name, 'network/vpc') }] }))).Vpc!.VpcId!;

  const blocked = (await planPlatform(opts)).plan;
  t.same(blocked.changes.map((c) => [c.action, c.id, c.physicalId]), [['!', `network/vpc#duplicate:${orphan}`, orphan]],
    'without the opt-in the orphan is shown, blocked, and nothing else changes');

  const allowed = { ...opts, spec: await referenceSpec((s) => { s.deletion = { allow: ['network'] }; }) };
  const plan = (await planPlatform(allowed)).plan;
  t.match(plan.changes, [{ action: '-', reason: 'duplicate', physicalId: orphan, notes: [/network\/vpc stays/] }]);
  t.ok((await applyPlatform(allowed)).ok, 'apply removes it');
  const vpcs = (await sb.clients.ec2.send(new DescribeVpcsCommand({}))).Vpcs!.map((v) => v.VpcId);
  t.same(vpcs, [ours], 'the VPC the subnets live in stays; the orphan is gone');
  t.same((await planPlatform(allowed)).plan.changes, []);
});
