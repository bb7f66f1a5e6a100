// spec.network → the network layer's desired nodes: VPC, subnets, internet gateway, Elastic IPs
// and NAT gateways, route tables. An existing VPC and subnets named by id are read-only nodes.
import { ref, type Desired } from '../resources/kind.js';
import type { SubnetSpec } from '../spec/types.js';
import type { ResolvedSpec } from '../spec/resolved.js';
import type { LayerBuilder } from './layers.js';

/** Tags the load balancer controller and EKS look for on subnets. */
export function subnetRoleTags(tier: 'public' | 'private', clusterName: string | undefined): Record<string, string> {
  return {
    [tier === 'public' ? 'kubernetes.io/role/elb' : 'kubernetes.io/role/internal-elb']: '1',
    ...(clusterName ? { [`kubernetes.io/cluster/${clusterName}`]: 'shared' } : {}),
  };
}

export const VPC_ID = 'network/vpc';
export const subnetId = (name: string) => `network/subnet/${name}`;

/** The NAT gateways the spec asks for: name and the public subnet that hosts each. */
export function natPlacements(spec: ResolvedSpec): { name: string; zone?: string; publicSubnet: SubnetSpec }[] {
  if (!spec.network) return [];
  const mode = spec.network.natGateways;
  const pub = spec.network.subnets.public;
  if (mode === 'none' || pub.length === 0) return [];
  if (mode === 'single') return [{ name: 'nat', publicSubnet: pub[0]! }];
  const zones = [...new Set(pub.map((s) => s.zone))];
  return zones.map((zone) => ({ name: `nat-${zone.slice(-1)}`, zone, publicSubnet: pub.find((s) => s.zone === zone)! }));
}

export function buildNetwork(spec: ResolvedSpec): Desired[] {
  const net = spec.network;
  if (!net) return [];
  const platform = spec.metadata.name;
  const name = (what: string) => ({ Name: `${platform}-${what}` });
  const nodes: Desired[] = [];

  if ('id' in net.vpc && net.vpc.id) {
    // Existing network: used as it is. Only the subnet tags the controller and EKS need are checked.
    nodes.push({ id: VPC_ID, kind: 'ec2/vpc', properties: {}, dependsOn: [], readOnly: { physicalId: net.vpc.id } });
    for (const tier of ['public', 'private'] as const) {
      for (const s of net.subnets[tier]) {
        nodes.push({ id: subnetId(s.name), kind: 'ec2/subnet', properties: { tags: subnetRoleTags(tier, spec.cluster?.name) }, dependsOn: [VPC_ID],
          readOnly: { physicalId: s.id ?? '' } });
      }
    }
    return nodes;
  }

  nodes.push({ id: VPC_ID, kind: 'ec2/vpc', dependsOn: [], properties: { cidr: net.vpc.cidr, enableDnsSupport: true, enableDnsHostnames: true, tags: name('vpc') } });
  for (const tier of ['public', 'private'] as const) {
    for (const s of net.subnets[tier]) {
      nodes.push({ id: subnetId(s.name), kind: 'ec2/subnet', dependsOn: [], properties: {
        vpcId: ref(VPC_ID, 'vpcId'), zone: s.zone, cidr: s.cidr, mapPublicIpOnLaunch: tier === 'public',
        tags: { ...name(s.name), ...subnetRoleTags(tier, spec.cluster?.name) },
      } });
    }
  }
  nodes.push({ id: 'network/internet-gateway', kind: 'ec2/internet-gateway', dependsOn: [], properties: { vpcId: ref(VPC_ID, 'vpcId'), tags: name('igw') } });
  nodes.push({ id: 'network/route-table/public', kind: 'ec2/route-table', dependsOn: [], properties: {
    vpcId: ref(VPC_ID, 'vpcId'),
    routes: { '0.0.0.0/0': { gatewayId: ref('network/internet-gateway', 'internetGatewayId') } },
    subnetIds: net.subnets.public.map((s) => ref(subnetId(s.name), 'subnetId')),
    tags: name('public'),
  } });

  const nats = natPlacements(spec);
  for (const nat of nats) {
    nodes.push({ id: `network/eip/${nat.name}`, kind: 'ec2/elastic-ip', dependsOn: [], properties: { tags: name(`${nat.name}-eip`) } });
    nodes.push({ id: `network/nat-gateway/${nat.name}`, kind: 'ec2/nat-gateway',
      // A public NAT gateway needs the internet gateway attached and the public route in place.
      dependsOn: ['network/internet-gateway', 'network/route-table/public'],
      properties: { subnetId: ref(subnetId(nat.publicSubnet.name), 'subnetId'), allocationId: ref(`network/eip/${nat.name}`, 'allocationId'), tags: name(nat.name) } });
  }
  const privateTables = nats.length > 1
    ? nats.map((nat) => ({ id: `network/route-table/private-${nat.zone!.slice(-1)}`, nat: nat.name, subnets: net.subnets.private.filter((s) => s.zone === nat.zone) }))
    : [{ id: 'network/route-table/private', nat: nats[0]?.name, subnets: net.subnets.private }];
  for (const t of privateTables) {
    nodes.push({ id: t.id, kind: 'ec2/route-table', dependsOn: [], properties: {
      vpcId: ref(VPC_ID, 'vpcId'),
      routes: t.nat ? { '0.0.0.0/0': { natGatewayId: ref(`network/nat-gateway/${t.nat}`, 'natGatewayId') } } : {},
      subnetIds: t.subnets.map((s) => ref(subnetId(s.name), 'subnetId')),
      tags: name(t.id.split('/').pop()!),
    } });
  }
  return nodes;
}

export const networkLayer: LayerBuilder = { layer: 'network', build: (spec) => buildNetwork(spec) };
