// An existing VPC and subnets named by id are used read-only; missing required tags are reported.
import t from 'tap';
import { startTestSandbox } from '../helpers/sandbox.js';
import { referenceSpec } from '../helpers/specs.js';
import { applyPlatform, planPlatform } from '../../src/engine.js';
import { CreateSubnetCommand, CreateVpcCommand, DescribeSubnetsCommand } from '@aws-sdk/client-ec2';

t.test('an existing network is observed, never changed; missing tags are reported', async (t) => {
  const sb = await startTestSandbox();
  t.teardown(sb.close);
  const ec2 = sb.clients.ec2;
  const vpc = (await ec2.send(new CreateVpcCommand({ CidrBlock: '10.20.0.0/16' }))).Vpc!;
  const mk = async (cidr: string, zone: string, tags: Record<string, string>) => (await ec2.send(new CreateSubnetCommand({
    VpcId: vpc.VpcId, CidrBlock: cidr, AvailabilityZone: zone,
    TagSpecifications: [{ ResourceType: 'subnet', Tags: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })) }],
  }))).Subnet!.SubnetId!;
  const tagged = (role: string) => ({ [role]: '1', 'kubernetes.io/cluster/grpc-demo': 'shared' });
  const pubA = await mk('10.20.0.0/20', 'ap-northeast-1a', tagged('kubernetes.io/role/elb'));
  const pubC = await mk('10.20.16.0/20', 'ap-northeast-1c', {}); // missing both tags
  const privA = await mk('10.20.64.0/19', 'ap-northeast-1a', tagged('kubernetes.io/role/internal-elb'));
  const privC = await mk('10.20.96.0/19', 'ap-northeast-1c', tagged('kubernetes.io/role/internal-elb'));

  const spec = await referenceSpec((s) => {
    s.network = {
      vpc: { id: vpc.VpcId! },
      subnets: {
        public: [{ name: 'public-a', zone: 'ap-northeast-1a', id: pubA }, { name: 'public-c', zone: 'ap-northeast-1c', id: pubC }],
        private: [{ name: 'private-a', zone: 'ap-northeast-1a', id: privA }, { name: 'private-c', zone: 'ap-northeast-1c', id: privC }],
      },
      natGateways: 'none',
    };
  });
  const opts = { spec, aws: sb.clients, layers: ['network' as const] };
  const { plan } = await planPlatform(opts);
  t.same(plan.changes.map((c) => [c.id, c.action, c.reason]), [['network/subnet/public-c', '!', 'read-only-drift']], 'only the untagged subnet is reported');
  t.same(plan.changes[0]!.fields.map((f) => f.path).sort(), ['tags.kubernetes.io/cluster/grpc-demo', 'tags.kubernetes.io/role/elb']);
  t.equal(plan.summary.create, 0, 'nothing is created in an existing VPC');

  const mark = sb.aws.callLog.mark();
  await applyPlatform({ ...opts });
  t.same(sb.aws.callLog.since(mark).filter((c) => !c.operation.startsWith('Describe')), [], 'no write call at all');
  const still = (await ec2.send(new DescribeSubnetsCommand({ SubnetIds: [pubC] }))).Subnets![0]!;
  t.same(still.Tags ?? [], [], 'the subnet was not tagged behind the owner\'s back');
});

t.test('a subnet id that does not exist blocks the plan', async (t) => {
  const sb = await startTestSandbox();
  t.teardown(sb.close);
  const vpc = (await sb.clients.ec2.send(new CreateVpcCommand({ CidrBlock: '10.20.0.0/16' }))).Vpc!;
  const spec = await referenceSpec((s) => {
    s.network = { vpc: { id: vpc.VpcId! }, natGateways: 'none', subnets: {
      public: [{ name: 'public-a', zone: 'ap-northeast-1a', id: 'subnet-0000000000000000a' }, { name: 'public-c', zone: 'ap-northeast-1c', id: 'subnet-0000000000000000c' }],
      private: [{ name: 'private-a', zone: 'ap-northeast-1a', id: 'subnet-0000000000000000b' }, { name: 'private-c', zone: 'ap-northeast-1c', id: 'subnet-0000000000000000d' }],
    } };
  });
  const { plan } = await planPlatform({ spec, aws: sb.clients, layers: ['network'] });
  t.equal(plan.changes.filter((c) => c.reason === 'read-only-missing').length, 4);
});
