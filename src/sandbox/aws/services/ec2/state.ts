// EC2 state for one account and region: the VPC objects the network layer uses, with their
// lifecycles on the scaled clock. States advance lazily when read (settle()), so nothing needs
// a timer and a test's clock scale decides how long "pending" lasts.
import { randomBytes } from 'node:crypto';
import type { ScaledClock } from '../../../clock.js';

export type Tags = Map<string, string>;

export interface Vpc { vpcId: string; cidr: string; state: 'pending' | 'available'; availableAt: number; dnsSupport: boolean; dnsHostnames: boolean; tags: Tags; ownerId: string }
export interface Subnet { subnetId: string; vpcId: string; cidr: string; az: string; mapPublicIpOnLaunch: boolean; state: 'pending' | 'available'; availableAt: number; tags: Tags }
export interface InternetGateway { internetGatewayId: string; attachment?: { vpcId: string; state: 'available' }; tags: Tags }
export interface Address { allocationId: string; publicIp: string; associationId?: string; networkInterfaceId?: string; privateIp?: string; tags: Tags }
export interface NatGateway {
  natGatewayId: string; subnetId: string; vpcId: string; allocationId: string; networkInterfaceId: string; privateIp: string;
  state: 'pending' | 'available' | 'failed' | 'deleting' | 'deleted'; availableAt: number; deletedAt?: number; eniReleasedAt?: number; createTime: Date; deleteTime?: Date;
  failureCode?: string; failureMessage?: string; clientToken?: string; tags: Tags;
}
export interface Route { destination: string; gatewayId?: string; natGatewayId?: string; origin: 'CreateRouteTable' | 'CreateRoute' }
export interface RouteTableAssociation { associationId: string; subnetId?: string; main: boolean }
export interface RouteTable { routeTableId: string; vpcId: string; routes: Route[]; associations: RouteTableAssociation[]; tags: Tags; clientToken?: string }
/** One security group rule with one source, as the SecurityGroupRule API lists it (ops-security-groups.ts). */
export interface SgRule {
  ruleId: string; protocol: string; fromPort: number; toPort: number; description?: string;
  source: { groupId: string } | { cidrIpv4: string } | { cidrIpv6: string };
}
export interface SecurityGroup {
  groupId: string; groupName: string; description: string; vpcId: string; ownerId: string; ingress: SgRule[]; egress: SgRule[]; tags: Tags;
  /** Set for a group a service created on its own (the EKS cluster security group): that service deletes it. */
  managedBy?: string;
}

/** Real-AWS durations (scaled by the clock). */
export const TIMINGS = {
  vpcPendingMs: 2_000,
  subnetPendingMs: 2_000,
  natPendingMs: 90_000,
  natDeletingMs: 60_000,
  /** A deleted NAT gateway's network interface lingers a while (as ELB/EKS interfaces do on real AWS). */
  natEniLingerMs: 30_000,
  /** Deleted NAT gateways stay listed this long. */
  natDeletedVisibleMs: 60 * 60_000,
};

export function newId(prefix: string): string {
  return `${prefix}-${randomBytes(9).toString('hex').slice(0, 17)}`;
}

export class Ec2State {
  readonly vpcs = new Map<string, Vpc>();
  readonly subnets = new Map<string, Subnet>();
  readonly internetGateways = new Map<string, InternetGateway>();
  readonly addresses = new Map<string, Address>();
  readonly natGateways = new Map<string, NatGateway>();
  readonly routeTables = new Map<string, RouteTable>();
  readonly securityGroups = new Map<string, SecurityGroup>();
  private ipCounter = 10;

  constructor(readonly accountId: string, readonly region: string, readonly clock: ScaledClock) {}

  nextPublicIp(): string {
    this.ipCounter++;
    return `203.0.113.${this.ipCounter % 250}`;
  }

  /** Advance every lifecycle whose deadline has passed. Called before every read and write. */
  settle(): void {
    const now = this.clock.now();
    for (const v of this.vpcs.values()) if (v.state === 'pending' && now >= v.availableAt) v.state = 'available';
    for (const s of this.subnets.values()) if (s.state === 'pending' && now >= s.availableAt) s.state = 'available';
    for (const [id, n] of this.natGateways) {
      if (n.state === 'pending' && now >= n.availableAt) n.state = 'available';
      if (n.state === 'deleting' && n.deletedAt !== undefined && now >= n.deletedAt) {
        n.state = 'deleted';
        n.deleteTime = new Date();
        n.eniReleasedAt = n.deletedAt + this.clock.real(TIMINGS.natEniLingerMs);
      }
      if (n.state === 'deleted' && n.eniReleasedAt !== undefined && now >= n.eniReleasedAt) {
        delete n.eniReleasedAt;
        // The gateway's address is freed once its interface is really gone.
        const addr = this.addresses.get(n.allocationId);
        if (addr?.networkInterfaceId === n.networkInterfaceId) {
          delete addr.associationId;
          delete addr.networkInterfaceId;
          delete addr.privateIp;
        }
      }
      if (n.state === 'deleted' && n.deleteTime && now - n.deleteTime.getTime() > this.clock.real(TIMINGS.natDeletedVisibleMs)) this.natGateways.delete(id);
    }
  }

  /** NAT gateways whose network interface still occupies the subnet (not deleted, or lingering). */
  liveNatGatewaysIn(predicate: (n: NatGateway) => boolean): NatGateway[] {
    return [...this.natGateways.values()].filter((n) => (n.state !== 'deleted' || n.eniReleasedAt !== undefined) && predicate(n));
  }
}

/** AWS tag list (from a decoded TagSpecification or CreateTags input) → map. */
function tagsFrom(list: { Key?: string; Value?: string }[] | undefined): Tags {
  const m: Tags = new Map();
  for (const t of list ?? []) if (t.Key !== undefined) m.set(t.Key, t.Value ?? '');
  return m;
}

/** Tags for `resourceType` from a decoded TagSpecification list. */
export function tagSpecification(input: { TagSpecification?: { ResourceType?: string; Tag?: { Key?: string; Value?: string }[] }[] }, resourceType: string): Tags {
  const spec = (input.TagSpecification ?? []).find((s) => s.ResourceType === resourceType);
  return tagsFrom(spec?.Tag);
}
