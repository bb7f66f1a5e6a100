// From an empty emulated account, apply converges; the second plan is empty; the no-op plan read
// each kind with one (paged) Describe call.
import t from 'tap';
import { startTestSandbox } from '../helpers/sandbox.js';
import { referenceSpec } from '../helpers/specs.js';
import { applyPlatform, planPlatform } from '../../src/engine.js';
import { CallLog } from '../../src/sandbox/aws/call-log.js';
import { DescribeNatGatewaysCommand, DescribeRouteTablesCommand, DescribeSubnetsCommand, DescribeVpcsCommand } from '@aws-sdk/client-ec2';

t.test('apply converges from empty; the next plan is empty and reads each kind once', async (t) => {
  const sb = await startTestSandbox();
  t.teardown(sb.close);
  const spec = await referenceSpec();
  const opts = { spec, aws: sb.clients, layers: ['network' as const] };

  const first = await planPlatform(opts);
  t.equal(first.plan.summary.create, 12, 'vpc, 6 subnets, igw, eip, nat, 2 route tables');
  const result = await applyPlatform({ ...opts, plan: first });
  t.same(result.failed, []);
  t.ok(result.ok);

  const mark = sb.aws.callLog.mark();
  const second = await planPlatform(opts);
  t.same(second.plan.changes, [], 'no changes after apply');
  const calls = CallLog.countByOperation(sb.aws.callLog.since(mark));
  t.same(calls, {
    'ec2:DescribeVpcs': 1, 'ec2:DescribeVpcAttribute': 2, 'ec2:DescribeSubnets': 1, 'ec2:DescribeInternetGateways': 1,
    'ec2:DescribeAddresses': 1, 'ec2:DescribeNatGateways': 1, 'ec2:DescribeRouteTables': 1,
  }, 'one batched read per kind (plus the VPC attributes, which have no batch read)');

  const ec2 = sb.clients.ec2;
  const subnets = (await ec2.send(new DescribeSubnetsCommand({}))).Subnets ?? [];
  t.equal(subnets.length, 6);
  const pub = subnets.find((s) => s.Tags?.some((x) => x.Key === 'Name' && x.Value === 'grpc-demo-public-a'))!;
  t.ok(pub.MapPublicIpOnLaunch);
  t.ok(pub.Tags?.some((x) => x.Key === 'kubernetes.io/role/elb' && x.Value === '1'));
  t.ok(pub.Tags?.some((x) => x.Key === 'kubernetes.io/cluster/grpc-demo' && x.Value === 'shared'));
  const priv = subnets.find((s) => s.Tags?.some((x) => x.Key === 'Name' && x.Value === 'grpc-demo-private-c'))!;
  t.ok(priv.Tags?.some((x) => x.Key === 'kubernetes.io/role/internal-elb' && x.Value === '1'));
  const nats = (await ec2.send(new DescribeNatGatewaysCommand({}))).NatGateways ?? [];
  t.equal(nats.length, 1);
  t.equal(nats[0]!.State, 'available');
  const tables = (await ec2.send(new DescribeRouteTablesCommand({ Filters: [{ Name: 'tag:platformd.dev/id', Values: ['network/route-table/private'] }] }))).RouteTables ?? [];
  t.equal(tables[0]!.Routes?.find((r) => r.DestinationCidrBlock === '0.0.0.0/0')?.NatGatewayId, nats[0]!.NatGatewayId, 'private default route → NAT');
  t.equal(tables[0]!.Associations?.length, 3);
  const vpcs = (await ec2.send(new DescribeVpcsCommand({}))).Vpcs ?? [];
  t.equal(vpcs.length, 1);
});
