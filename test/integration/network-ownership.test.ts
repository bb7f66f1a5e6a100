// A VPC in the same account without platformd's tags is untouched by plan and apply.
import t from 'tap';
import { startTestSandbox } from '../helpers/sandbox.js';
import { referenceSpec } from '../helpers/specs.js';
import { applyPlatform, planPlatform } from '../../src/engine.js';
import { CreateSubnetCommand, CreateVpcCommand, DescribeSubnetsCommand, DescribeVpcsCommand } from '@aws-sdk/client-ec2';

t.test('resources without our tags are never planned or changed, even with deletion opted in', async (t) => {
  const sb = await startTestSandbox();
  t.teardown(sb.close);
  const ec2 = sb.clients.ec2;
  const foreign = (await ec2.send(new CreateVpcCommand({ CidrBlock: '10.0.0.0/16', TagSpecifications: [{ ResourceType: 'vpc', Tags: [{ Key: 'Name', Value: 'someone-else' }] }] }))).Vpc!;
  await ec2.send(new CreateSubnetCommand({ VpcId: foreign.VpcId, CidrBlock: '10.0.0.0/20', AvailabilityZone: 'ap-northeast-1a' }));
  // Another platform's VPC carries a platform tag, just not ours.
  await ec2.send(new CreateVpcCommand({ CidrBlock: '10.9.0.0/16', TagSpecifications: [{ ResourceType: 'vpc', Tags: [{ Key: 'platformd.dev/platform', Value: 'other' }, { Key: 'platformd.dev/id', Value: 'network/vpc' }] }] }));

  const spec = await referenceSpec((s) => { s.deletion = { allow: ['network'] }; });
  const opts = { spec, aws: sb.clients, layers: ['network' as const] };
  const plan = await planPlatform(opts);
  t.notOk(plan.plan.changes.some((c) => c.physicalId === foreign.VpcId), 'the foreign VPC is not in the plan');
  t.notOk([...plan.observed.values()].some((o) => o.physicalId === foreign.VpcId), 'nor observed as ours');
  t.ok((await applyPlatform({ ...opts, plan })).ok);

  const vpcs = (await ec2.send(new DescribeVpcsCommand({}))).Vpcs ?? [];
  t.equal(vpcs.length, 3, 'ours, the foreign one and the other platform\'s');
  t.ok(vpcs.find((v) => v.VpcId === foreign.VpcId)?.Tags?.every((x) => x.Key === 'Name'), 'foreign VPC tags unchanged');
  t.equal((await ec2.send(new DescribeSubnetsCommand({ Filters: [{ Name: 'vpc-id', Values: [foreign.VpcId!] }] }))).Subnets?.length, 1);
});
