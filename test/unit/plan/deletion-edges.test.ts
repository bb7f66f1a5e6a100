// Deletions follow reversed reference edges read from the live objects; kind rank orders only
// the objects that name no edge between them, and never in a cycle.
import t from 'tap';
import type { Observed } from '../../../src/resources/kind.js';
import { deletionDependencies, deletionSequence, referencesAmong } from '../../../src/plan/deletion-edges.js';
import { inDeletionOrder } from '../../../src/plan/teardown.js';
import type { Change } from '../../../src/plan/types.js';

function live(id: string, kind: string, physicalId: string, state: Record<string, unknown> = {}, outputs: Record<string, unknown> = {}): Observed {
  return { id, kind, physicalId, state, outputs, owned: true };
}

const vpc = live('network/vpc', 'ec2/vpc', 'vpc-1', { cidr: '10.0.0.0/16' }, { vpcId: 'vpc-1', cidr: '10.0.0.0/16' });
const subnet = live('network/subnet/a', 'ec2/subnet', 'subnet-1', { vpcId: 'vpc-1', cidr: '10.0.1.0/24' }, { subnetId: 'subnet-1', vpcId: 'vpc-1', zone: 'ap-northeast-1a' });
const eip = live('network/eip/a', 'ec2/eip', 'eipalloc-1', {}, { allocationId: 'eipalloc-1', publicIp: '203.0.113.1' });
const nat = live('network/nat/a', 'ec2/nat', 'nat-1', { subnetId: 'subnet-1', allocationId: 'eipalloc-1' }, { natGatewayId: 'nat-1' });
const table = live('network/route-table/private-a', 'ec2/route-table', 'rtb-1', { vpcId: 'vpc-1', routes: [{ destination: '0.0.0.0/0', natGatewayId: 'nat-1' }], subnets: ['subnet-1'] });

t.test('references come from physical ids and ARNs held in state or outputs', async (t) => {
  const refs = referencesAmong([vpc, subnet, eip, nat, table]);
  t.same([...refs.get('network/subnet/a')!], ['network/vpc'], 'a subnet names its VPC');
  t.same([...refs.get('network/nat/a')!].sort(), ['network/eip/a', 'network/subnet/a'], 'a NAT gateway names its subnet and Elastic IP');
  t.same([...refs.get('network/route-table/private-a')!].sort(), ['network/nat/a', 'network/subnet/a', 'network/vpc'], 'a route table names VPC, NAT gateway and subnets, even inside lists');
  t.same([...refs.get('network/vpc')!], [], 'a VPC names nothing: its own ids and a CIDR are not references');
  t.same([...refs.get('network/eip/a')!], [], 'a public IP is not an identity');
});

t.test('each deletion waits for what references it, whatever the kind rank says', async (t) => {
  // A rank that gets the network backwards: VPC first. The edges win.
  const rank = ['ec2/vpc', 'ec2/subnet', 'ec2/eip', 'ec2/nat', 'ec2/route-table'];
  const waits = deletionDependencies([vpc, subnet, eip, nat, table], (kind) => rank.indexOf(kind));
  t.ok(waits.get('network/vpc')!.includes('network/subnet/a'), 'the VPC waits for its subnet');
  t.ok(waits.get('network/vpc')!.includes('network/route-table/private-a'), 'and for the route table in it');
  t.ok(waits.get('network/eip/a')!.includes('network/nat/a'), 'the Elastic IP waits for the NAT gateway holding it');
  t.ok(waits.get('network/subnet/a')!.includes('network/nat/a'), 'the subnet waits for the NAT gateway in it');
  t.same(waits.get('network/route-table/private-a'), [], 'nothing references the route table: it goes first');
});

t.test('objects with no edge between them keep the kind order', async (t) => {
  const role = live('iam/role/cluster', 'iam/role', 'grpc-demo-cluster', {}, { arn: 'arn:aws:iam::1:role/grpc-demo-cluster' });
  const zone = live('edge/zone', 'route53/zone', 'Z1', {}, { zoneId: 'Z1' });
  const rank = ['route53/zone', 'iam/role'];
  const waits = deletionDependencies([role, zone], (kind) => rank.indexOf(kind));
  t.same(waits.get('iam/role/cluster'), ['edge/zone'], 'the role waits for the zone, by rank');
  t.same(waits.get('edge/zone'), []);
});

t.test('references in a cycle fall back to rank and still never wait in a cycle', async (t) => {
  const a = live('sg/a', 'ec2/sg', 'sg-0a', { ingressFrom: ['sg-0b'] });
  const b = live('sg/b', 'ec2/sg', 'sg-0b', { ingressFrom: ['sg-0a'] });
  t.same(deletionSequence(['sg/a', 'sg/b'], referencesAmong([a, b]), () => 0), ['sg/a', 'sg/b'], 'input order among equals');
  const waits = deletionDependencies([a, b], () => 0);
  t.same(waits.get('sg/a'), [], 'the first waits for nothing');
  t.same(waits.get('sg/b'), ['sg/a'], 'the second waits for the first, which references it');
});

t.test('an ARN in outputs.arn identifies its object: policies and clusters name roles by ARN', async (t) => {
  const role = live('iam/role/cluster', 'iam/role', 'grpc-demo-cluster', {}, { arn: 'arn:aws:iam::1:role/grpc-demo-cluster', name: 'grpc-demo-cluster' });
  const cluster = live('eks/cluster', 'eks/cluster', 'grpc-demo', { roleArn: 'arn:aws:iam::1:role/grpc-demo-cluster' }, { arn: 'arn:aws:eks:ap-northeast-1:1:cluster/grpc-demo' });
  t.same([...referencesAmong([role, cluster]).get('eks/cluster')!], ['iam/role/cluster']);
  t.same([...referencesAmong([role, cluster]).get('iam/role/cluster')!], [], 'the role names only itself');
});

t.test('a bare name is not an edge: a node group called default does not use the namespace default', async (t) => {
  const namespace = live('kube/namespace-labels/default', 'kube/namespace-labels', 'default', { namespace: 'default' });
  const nodegroup = live('eks/nodegroup/default', 'eks/nodegroup', 'default', { name: 'default', clusterName: 'grpc-demo' });
  const cluster = live('eks/cluster', 'eks/cluster', 'grpc-demo');
  const refs = referencesAmong([namespace, nodegroup, cluster]);
  t.same([...refs.get('eks/nodegroup/default')!], [], 'neither the namespace nor the cluster by its bare name');
  t.same([...refs.get('kube/namespace-labels/default')!], []);
});

t.test('destroy lists deletions after what they wait for, even against kind rank', async (t) => {
  const change = (id: string, kind: string, dependsOn: string[] = []): Change => ({ id, kind, action: '-', reason: 'not-in-spec', fields: [], dependsOn });
  // By rank the provider would go first; the IRSA role's trust policy names it, so the role goes first.
  const changes = [change('iam/oidc-provider', 'iam/oidc-provider', ['iam/role/irsa']), change('iam/role/irsa', 'iam/role'), change('network/vpc', 'ec2/vpc', ['iam/role/irsa'])];
  t.same(inDeletionOrder(changes, ['iam/oidc-provider', 'iam/role', 'ec2/vpc']).map((c) => c.id), ['iam/role/irsa', 'iam/oidc-provider', 'network/vpc']);
});
