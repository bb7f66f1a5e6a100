// State → the EC2 XML shapes (lowerCamel element names, <item> lists).
import { tagSet } from './query.js';
import type { Address, InternetGateway, NatGateway, RouteTable, Subnet, Vpc } from './state.js';

export function vpcWire(v: Vpc) {
  return { vpcId: v.vpcId, ownerId: v.ownerId, state: v.state, cidrBlock: v.cidr, dhcpOptionsId: 'default', instanceTenancy: 'default', isDefault: false,
    cidrBlockAssociationSet: [{ associationId: `vpc-cidr-assoc-${v.vpcId.slice(4)}`, cidrBlock: v.cidr, cidrBlockState: { state: 'associated' } }], tagSet: tagSet(v.tags) };
}

export function subnetWire(s: Subnet, availableIps: number) {
  return { subnetId: s.subnetId, vpcId: s.vpcId, state: s.state, cidrBlock: s.cidr, availabilityZone: s.az, availableIpAddressCount: availableIps,
    mapPublicIpOnLaunch: s.mapPublicIpOnLaunch, defaultForAz: false, subnetArn: `arn:aws:ec2:${s.az.slice(0, -1)}::subnet/${s.subnetId}`, tagSet: tagSet(s.tags) };
}

export function igwWire(g: InternetGateway) {
  return { internetGatewayId: g.internetGatewayId, attachmentSet: g.attachment ? [g.attachment] : [], tagSet: tagSet(g.tags) };
}

export function addressWire(a: Address) {
  return { allocationId: a.allocationId, publicIp: a.publicIp, domain: 'vpc', associationId: a.associationId, networkInterfaceId: a.networkInterfaceId,
    privateIpAddress: a.privateIp, networkBorderGroup: undefined, tagSet: tagSet(a.tags) };
}

export function natWire(n: NatGateway) {
  return { natGatewayId: n.natGatewayId, subnetId: n.subnetId, vpcId: n.vpcId, state: n.state, connectivityType: 'public', createTime: n.createTime, deleteTime: n.deleteTime,
    failureCode: n.failureCode, failureMessage: n.failureMessage,
    natGatewayAddressSet: [{ allocationId: n.allocationId, networkInterfaceId: n.networkInterfaceId, privateIp: n.privateIp, isPrimary: true, status: n.state === 'deleted' ? 'disassociated' : 'succeeded' }],
    tagSet: tagSet(n.tags) };
}

export function routeTableWire(r: RouteTable, natState: (id: string) => string | undefined, igwAttached: (id: string) => boolean) {
  return {
    routeTableId: r.routeTableId, vpcId: r.vpcId,
    routeSet: r.routes.map((x) => ({ destinationCidrBlock: x.destination, gatewayId: x.gatewayId, natGatewayId: x.natGatewayId, origin: x.origin,
      state: x.gatewayId === 'local' || (x.gatewayId && igwAttached(x.gatewayId)) || (x.natGatewayId && natState(x.natGatewayId) === 'available') ? 'active' : 'blackhole' })),
    associationSet: r.associations.map((a) => ({ routeTableAssociationId: a.associationId, routeTableId: r.routeTableId, subnetId: a.subnetId, main: a.main,
      associationState: { state: 'associated' } })),
    tagSet: [...r.tags].map(([key, value]) => ({ key, value })),
  };
}
