// spec.network → the network layer's desired nodes: VPC, subnets, internet gateway, Elastic IPs
// and NAT gateways, route tables. An existing VPC and subnets named by id are read-only nodes.
import { ref, type Desired } from '../resources/kind.js';
import type { SubnetSpec } from '../platform-spec/types.js';
import type { ResolvedSpec } from '../platform-spec/resolved.js';
import type { LayerBuilder } from './layers.js';
import { vpcKind } from '../resources/network/vpc.js';
import { subnetKind } from '../resources/network/subnet.js';
import { internetGatewayKind } from '../resources/network/internet-gateway.js';
import { routeTableKind } from '../resources/network/route-table.js';
import { elasticIpKind } from '../resources/network/elastic-ip.js';
import { natGatewayKind } from '../resources/network/nat-gateway.js';
import { elasticIpId, INTERNET_GATEWAY, natGatewayId, PRIVATE_ROUTE_TABLE, PUBLIC_ROUTE_TABLE, subnetId, VPC_ID, zonePrivateRouteTableId } from './ids.js';

/** Tags the load balancer controller and EKS look for on subnets. */
export function subnetRoleTags(tier: 'public' | 'private', clusterName: string | undefined): Record<string, string> {
  return {
    [tier === 'public' ? 'kubernetes.io/role/elb' : 'kubernetes.io/role/internal-elb']: '1',
    ...(clusterName ? { [`kubernetes.io/cluster/${clusterName}`]: 'shared' } : {}),
  };
}


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
    nodes.push(vpcKind.node(VPC_ID, {}, [], { readOnly: { physicalId: net.vpc.id } }));
    for (const tier of ['public', 'private'] as const) {
      for (const s of net.subnets[tier]) {
        nodes.push(subnetKind.node(subnetId(s.name), { tags: subnetRoleTags(tier, spec.cluster?.name) }, [VPC_ID],
          { readOnly: { physicalId: s.id ?? '' } }));
      }
    }
    return nodes;
  }

  nodes.push(vpcKind.node(VPC_ID, { cidr: net.vpc.cidr, enableDnsSupport: true, enableDnsHostnames: true, tags: name('vpc') }));
  for (const tier of ['public', 'private'] as const) {
    for (const s of net.subnets[tier]) {
      nodes.push(subnetKind.node(subnetId(s.name), {
        vpcId: ref(VPC_ID, 'vpcId'), zone: s.zone, cidr: s.cidr, mapPublicIpOnLaunch: tier === 'public',
        tags: { ...name(s.name), ...subnetRoleTags(tier, spec.cluster?.name) },
      }));
    }
  }
  nodes.push(internetGatewayKind.node(INTERNET_GATEWAY, { vpcId: ref(VPC_ID, 'vpcId'), tags: name('igw') }));
  nodes.push(routeTableKind.node(PUBLIC_ROUTE_TABLE, {
    vpcId: ref(VPC_ID, 'vpcId'),
    routes: { '0.0.0.0/0': { gatewayId: ref(INTERNET_GATEWAY, 'internetGatewayId') } },
    subnetIds: net.subnets.public.map((s) => ref(subnetId(s.name), 'subnetId')),
    tags: name('public'),
  }));

  const nats = natPlacements(spec);
  for (const nat of nats) {
    nodes.push(elasticIpKind.node(elasticIpId(nat.name), { tags: name(`${nat.name}-eip`) }));
    nodes.push(natGatewayKind.node(natGatewayId(nat.name),
      { subnetId: ref(subnetId(nat.publicSubnet.name), 'subnetId'), allocationId: ref(elasticIpId(nat.name), 'allocationId'), tags: name(nat.name) },
      // A public NAT gateway needs the internet gateway attached and the public route in place.
      [INTERNET_GATEWAY, PUBLIC_ROUTE_TABLE]));
  }
  const privateTables = nats.length > 1
    ? nats.map((nat) => ({ id: zonePrivateRouteTableId(nat.zone!), nat: nat.name, subnets: net.subnets.private.filter((s) => s.zone === nat.zone) }))
    : [{ id: PRIVATE_ROUTE_TABLE, nat: nats[0]?.name, subnets: net.subnets.private }];
  for (const t of privateTables) {
    nodes.push(routeTableKind.node(t.id, {
      vpcId: ref(VPC_ID, 'vpcId'),
      routes: t.nat ? { '0.0.0.0/0': { natGatewayId: ref(natGatewayId(t.nat), 'natGatewayId') } } : {},
      subnetIds: t.subnets.map((s) => ref(subnetId(s.name), 'subnetId')),
      tags: name(t.id.split('/').pop()!),
    }));
  }
  return nodes;
}

export const networkLayer: LayerBuilder = { layer: 'network', build: (spec) => buildNetwork(spec) };
