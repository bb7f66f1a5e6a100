// Elastic network interfaces as the VPC CNI uses them (amazon-vpc-cni-k8s pkg/awsutils/awsutils.go):
// CreateNetworkInterface in a subnet with secondary addresses and tags, AttachNetworkInterface to
// an instance, ModifyNetworkInterfaceAttribute (DeleteOnTermination), AssignPrivateIpAddresses,
// DescribeNetworkInterfaces by id or filter. Instances are not emulated: a node's instance exists
// only as the owner of its primary interface, which EC2 creates at launch (launchInstance) and
// deletes with the interfaces marked DeleteOnTermination when it terminates (terminateInstance).
import { ServiceError, type OperationHandler } from '../../service.js';
import { parseCidr } from '../../../../platform-spec/cidr.js';
import type { Ec2Deps } from './deps.js';
import { applyFilters, byIds, paginate, tagSet } from './query.js';
import { newId, tagSpecification, type Ec2State, type Tags } from './state.js';

export interface NetworkInterface {
  networkInterfaceId: string;
  subnetId: string;
  vpcId: string;
  description: string;
  groups: string[];
  privateIps: { address: string; primary: boolean }[];
  attachment?: { attachmentId: string; instanceId: string; deviceIndex: number; deleteOnTermination: boolean };
  tags: Tags;
}

/** The interfaces of one account and region (kept beside Ec2State, which predates them). */
const interfacesOf = new WeakMap<Ec2State, Map<string, NetworkInterface>>();
const nextHost = new WeakMap<Ec2State, Map<string, number>>();

export function networkInterfaces(s: Ec2State): Map<string, NetworkInterface> {
  let m = interfacesOf.get(s);
  if (!m) interfacesOf.set(s, m = new Map());
  return m;
}

/** The next free address of a subnet (AWS reserves the first four and the last). */
function allocateAddress(s: Ec2State, subnetId: string): string {
  const subnet = s.subnets.get(subnetId);
  const cidr = subnet ? parseCidr(subnet.cidr) : undefined;
  if (!subnet || cidr === undefined || typeof cidr === 'string') throw new ServiceError('InvalidSubnetID.NotFound', `The subnet ID '${subnetId}' does not exist`, 400);
  let counters = nextHost.get(s);
  if (!counters) nextHost.set(s, counters = new Map());
  const host = counters.get(subnetId) ?? 4;
  if (host >= 2 ** (32 - cidr.prefix) - 1) throw new ServiceError('InsufficientFreeAddressesInSubnet', `The specified subnet ${subnetId} does not have enough free addresses to satisfy the request.`, 400);
  counters.set(subnetId, host + 1);
  const base = subnet.cidr.split('/')[0]!.split('.').reduce((n, o) => n * 256 + Number(o), 0) + host;
  return [24, 16, 8, 0].map((shift) => (base >>> shift) & 255).join('.');
}

function interfaceWire(n: NetworkInterface) {
  return {
    networkInterfaceId: n.networkInterfaceId, subnetId: n.subnetId, vpcId: n.vpcId, description: n.description, status: n.attachment ? 'in-use' : 'available',
    interfaceType: 'interface', privateIpAddress: n.privateIps.find((p) => p.primary)?.address,
    privateIpAddressesSet: n.privateIps.map((p) => ({ privateIpAddress: p.address, primary: p.primary })),
    groupSet: n.groups.map((groupId) => ({ groupId })),
    attachment: n.attachment && { attachmentId: n.attachment.attachmentId, instanceId: n.attachment.instanceId, deviceIndex: n.attachment.deviceIndex,
      deleteOnTermination: n.attachment.deleteOnTermination, status: 'attached' },
    tagSet: tagSet(n.tags),
  };
}

function create(s: Ec2State, subnetId: string, o: { description: string; groups: string[]; secondary: number; tags: Tags }): NetworkInterface {
  const subnet = s.subnets.get(subnetId);
  if (!subnet) throw new ServiceError('InvalidSubnetID.NotFound', `The subnet ID '${subnetId}' does not exist`, 400);
  const eni: NetworkInterface = { networkInterfaceId: newId('eni'), subnetId, vpcId: subnet.vpcId, description: o.description, groups: o.groups, privateIps: [], tags: o.tags };
  eni.privateIps.push({ address: allocateAddress(s, subnetId), primary: true });
  for (let i = 0; i < o.secondary; i++) eni.privateIps.push({ address: allocateAddress(s, subnetId), primary: false });
  networkInterfaces(s).set(eni.networkInterfaceId, eni);
  return eni;
}

/** EC2 launching a node's instance: its primary interface (device 0) in the subnet, deleted on termination. */
export function launchInstance(s: Ec2State, instanceId: string, subnetId: string): NetworkInterface {
  const existing = [...networkInterfaces(s).values()].find((n) => n.attachment?.instanceId === instanceId && n.attachment.deviceIndex === 0);
  if (existing) return existing;
  const eni = create(s, subnetId, { description: '', groups: [], secondary: 0, tags: new Map() });
  eni.attachment = { attachmentId: newId('eni-attach'), instanceId, deviceIndex: 0, deleteOnTermination: true };
  return eni;
}

/** EC2 terminating an instance: interfaces marked DeleteOnTermination go, others are detached. */
export function terminateInstance(s: Ec2State, instanceId: string): void {
  for (const [id, n] of networkInterfaces(s)) {
    if (n.attachment?.instanceId !== instanceId) continue;
    if (n.attachment.deleteOnTermination) networkInterfaces(s).delete(id);
    else n.attachment = undefined;
  }
}

export function networkInterfaceOperations(deps: Ec2Deps): Record<string, OperationHandler> {
  const find = (s: Ec2State, id: unknown) => {
    const eni = networkInterfaces(s).get(String(id));
    if (!eni) throw new ServiceError('InvalidNetworkInterfaceID.NotFound', `The networkInterface ID '${String(id)}' does not exist`, 400);
    return eni;
  };
  return {
    CreateNetworkInterface(input, ctx) {
      const s = deps.state(ctx);
      const groups = Array.isArray(input.SecurityGroupId) ? (input.SecurityGroupId as unknown[]).map(String) : [];
      const eni = create(s, String(input.SubnetId), { description: String(input.Description ?? ''), groups,
        secondary: Number(input.SecondaryPrivateIpAddressCount ?? 0), tags: tagSpecification(input, 'network-interface') });
      return { networkInterface: interfaceWire(eni) };
    },
    AttachNetworkInterface(input, ctx) {
      const s = deps.state(ctx);
      const eni = find(s, input.NetworkInterfaceId);
      if (eni.attachment) throw new ServiceError('InvalidParameterValue', `Interface: [${eni.networkInterfaceId}] in use.`, 400);
      const instanceId = String(input.InstanceId);
      const deviceIndex = Number(input.DeviceIndex ?? 1);
      const taken = [...networkInterfaces(s).values()].some((n) => n.attachment?.instanceId === instanceId && n.attachment.deviceIndex === deviceIndex);
      if (taken) throw new ServiceError('InvalidParameterValue', `Instance '${instanceId}' already has an interface attached at device index '${deviceIndex}'.`, 400);
      const attachment = { attachmentId: newId('eni-attach'), instanceId, deviceIndex, deleteOnTermination: false };
      eni.attachment = attachment;
      return { attachmentId: attachment.attachmentId, networkCardIndex: 0 };
    },
    ModifyNetworkInterfaceAttribute(input, ctx) {
      const eni = find(deps.state(ctx), input.NetworkInterfaceId);
      const attachment = input.Attachment as { AttachmentId?: string; DeleteOnTermination?: string | boolean } | undefined;
      const current = eni.attachment;
      if (attachment && current && current.attachmentId === attachment.AttachmentId) current.deleteOnTermination = String(attachment.DeleteOnTermination) === 'true';
      return { return: true };
    },
    AssignPrivateIpAddresses(input, ctx) {
      const s = deps.state(ctx);
      const eni = find(s, input.NetworkInterfaceId);
      const added = Array.from({ length: Number(input.SecondaryPrivateIpAddressCount ?? 0) }, () => allocateAddress(s, eni.subnetId));
      for (const address of added) eni.privateIps.push({ address, primary: false });
      return { networkInterfaceId: eni.networkInterfaceId, assignedPrivateIpAddressesSet: added.map((privateIpAddress) => ({ privateIpAddress })) };
    },
    DescribeNetworkInterfaces(input, ctx) {
      const s = deps.state(ctx);
      const ids = Array.isArray(input.NetworkInterfaceId) ? (input.NetworkInterfaceId as unknown[]).map(String) : undefined;
      const items = applyFilters(byIds(networkInterfaces(s), ids, 'InvalidNetworkInterfaceID.NotFound', 'networkInterface ID'), input.Filter, {
        'network-interface-id': (x) => x.networkInterfaceId, 'subnet-id': (x) => x.subnetId, 'vpc-id': (x) => x.vpcId, description: (x) => x.description,
        'attachment.instance-id': (x) => x.attachment?.instanceId, status: (x) => (x.attachment ? 'in-use' : 'available'),
      });
      const { page, nextToken } = paginate(items, input);
      return { networkInterfaceSet: page.map(interfaceWire), nextToken };
    },
  };
}
