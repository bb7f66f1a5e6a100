// Security groups: CreateSecurityGroup, DescribeSecurityGroups, DeleteSecurityGroup,
// AuthorizeSecurityGroupIngress, RevokeSecurityGroupIngress, with the EC2 API's shapes and
// errors (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_AuthorizeSecurityGroupIngress.html,
// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/errors-overview.html):
// - a new group gets the default egress rule (all traffic to 0.0.0.0/0) and no ingress rule
//   (https://docs.aws.amazon.com/vpc/latest/userguide/default-custom-security-groups.html);
// - names are unique per VPC (InvalidGroup.Duplicate) and may not look like ids ("sg-*");
// - an unknown group, as target or as source of a rule, is InvalidGroup.NotFound;
// - a rule that already exists is InvalidPermission.Duplicate, revoking one that does not is
//   InvalidPermission.NotFound;
// - a group still referenced by another group's rule, or attached to something (a load
//   balancer: Ec2Hooks.securityGroupUser), cannot be deleted: DependencyViolation.
import { ServiceError, type OperationHandler, type RequestContext } from '../../service.js';
import type { Ec2Deps } from './deps.js';
import { applyFilters, byIds, paginate, tagSet } from './query.js';
import { newId, tagSpecification, type Ec2State, type SecurityGroup, type SgRule } from './state.js';

/** Raw IpPermissions member as decoded from the query wire (`IpPermissions.N.Groups.N.GroupId`…). */
interface WirePermission {
  IpProtocol?: string; FromPort?: string | number; ToPort?: string | number;
  Groups?: { GroupId?: string; Description?: string }[];
  IpRanges?: { CidrIp?: string; Description?: string }[];
  Ipv6Ranges?: { CidrIpv6?: string; Description?: string }[];
}

const PROTOCOL_NAMES: Record<string, string> = { '6': 'tcp', '17': 'udp', '1': 'icmp', all: '-1' };

function notFound(id: unknown): ServiceError {
  return new ServiceError('InvalidGroup.NotFound', `The security group '${String(id)}' does not exist`, 400);
}

function sourceKey(r: Pick<SgRule, 'source'>): string {
  const s = r.source;
  return 'groupId' in s ? s.groupId : 'cidrIpv4' in s ? s.cidrIpv4 : s.cidrIpv6;
}

/** The words EC2 uses to name a rule in InvalidPermission.Duplicate. */
function ruleText(r: SgRule): string {
  const proto = r.protocol === '-1' ? 'ALL' : r.protocol.toUpperCase();
  return `peer: ${sourceKey(r)}, ${proto}, from port: ${r.fromPort}, to port: ${r.toPort}, ALLOW`;
}

function sameRule(a: SgRule, b: SgRule): boolean {
  return a.protocol === b.protocol && a.fromPort === b.fromPort && a.toPort === b.toPort && sourceKey(a) === sourceKey(b);
}

/** Expand IpPermissions into one rule per source, validating them as EC2 does. */
export function rulesOf(s: Ec2State, permissions: WirePermission[] | undefined): SgRule[] {
  const out: SgRule[] = [];
  for (const p of permissions ?? []) {
    const raw = String(p.IpProtocol ?? '').toLowerCase();
    const protocol = PROTOCOL_NAMES[raw] ?? raw;
    if (!['tcp', 'udp', 'icmp', '-1'].includes(protocol)) {
      throw new ServiceError('InvalidParameterValue', `Invalid value '${p.IpProtocol}' for IP protocol. Unknown protocol.`, 400);
    }
    let fromPort = -1;
    let toPort = -1;
    if (protocol === 'tcp' || protocol === 'udp') {
      if (p.FromPort === undefined || p.ToPort === undefined) {
        throw new ServiceError('InvalidParameterValue', 'Invalid value \'Must specify both from and to ports with TCP/UDP.\' for portRange', 400);
      }
      fromPort = Number(p.FromPort);
      toPort = Number(p.ToPort);
      if (!(fromPort >= 0 && toPort <= 65535 && fromPort <= toPort)) {
        throw new ServiceError('InvalidParameterValue', `Invalid value '${fromPort}-${toPort}' for portRange`, 400);
      }
    }
    const base = { protocol, fromPort, toPort };
    for (const g of p.Groups ?? []) {
      if (!g.GroupId || !s.securityGroups.has(g.GroupId)) throw notFound(g.GroupId);
      out.push({ ruleId: newId('sgr'), ...base, description: g.Description, source: { groupId: g.GroupId } });
    }
    for (const c of p.IpRanges ?? []) out.push({ ruleId: newId('sgr'), ...base, description: c.Description, source: { cidrIpv4: String(c.CidrIp) } });
    for (const c of p.Ipv6Ranges ?? []) out.push({ ruleId: newId('sgr'), ...base, description: c.Description, source: { cidrIpv6: String(c.CidrIpv6) } });
  }
  if (out.length === 0) throw new ServiceError('MissingParameter', 'No source specified: the request must contain an IP permission with a source', 400);
  return out;
}

/** Rules grouped back into IpPermissions items, as DescribeSecurityGroups returns them. */
function permissionsWire(rules: SgRule[], ownerId: string) {
  const byRange = new Map<string, SgRule[]>();
  for (const r of rules) {
    const k = `${r.protocol}|${r.fromPort}|${r.toPort}`;
    byRange.set(k, [...(byRange.get(k) ?? []), r]);
  }
  return [...byRange.values()].map((rs) => ({
    ipProtocol: rs[0]!.protocol,
    ...(rs[0]!.protocol === '-1' ? {} : { fromPort: rs[0]!.fromPort, toPort: rs[0]!.toPort }),
    groups: rs.flatMap((r) => ('groupId' in r.source ? [{ groupId: r.source.groupId, userId: ownerId, description: r.description }] : [])),
    ipRanges: rs.flatMap((r) => ('cidrIpv4' in r.source ? [{ cidrIp: r.source.cidrIpv4, description: r.description }] : [])),
    ipv6Ranges: rs.flatMap((r) => ('cidrIpv6' in r.source ? [{ cidrIpv6: r.source.cidrIpv6, description: r.description }] : [])),
    prefixListIds: [],
  }));
}

function securityGroupWire(g: SecurityGroup, region: string) {
  return {
    ownerId: g.ownerId, groupName: g.groupName, groupId: g.groupId, groupDescription: g.description, vpcId: g.vpcId,
    ipPermissions: permissionsWire(g.ingress, g.ownerId), ipPermissionsEgress: permissionsWire(g.egress, g.ownerId),
    tagSet: tagSet(g.tags), securityGroupArn: `arn:aws:ec2:${region}:${g.ownerId}:security-group/${g.groupId}`,
  };
}

function ruleWire(g: SecurityGroup, r: SgRule, isEgress: boolean) {
  const s = r.source;
  return {
    securityGroupRuleId: r.ruleId, groupId: g.groupId, groupOwnerId: g.ownerId, isEgress, ipProtocol: r.protocol, fromPort: r.fromPort, toPort: r.toPort,
    description: r.description, ...('groupId' in s ? { referencedGroupInfo: { groupId: s.groupId, userId: g.ownerId } } : 'cidrIpv4' in s ? { cidrIpv4: s.cidrIpv4 } : { cidrIpv6: s.cidrIpv6 }),
  };
}

export function securityGroupOperations(deps: Ec2Deps): Record<string, OperationHandler> {
  const state = (ctx: RequestContext): Ec2State => {
    const s = deps.state(ctx);
    deps.syncServiceGroups?.(s);
    return s;
  };
  const group = (s: Ec2State, input: { GroupId?: string; GroupName?: string }): SecurityGroup => {
    const g = input.GroupId ? s.securityGroups.get(input.GroupId) : [...s.securityGroups.values()].find((x) => x.groupName === input.GroupName);
    if (!g) throw notFound(input.GroupId ?? input.GroupName);
    return g;
  };
  return {
    CreateSecurityGroup(input, ctx) {
      const s = state(ctx);
      const name = String(input.GroupName ?? '');
      if (!name) throw new ServiceError('MissingParameter', 'The request must contain the parameter groupName', 400);
      if (input.GroupDescription === undefined) throw new ServiceError('MissingParameter', 'The request must contain the parameter groupDescription', 400);
      if (name.toLowerCase().startsWith('sg-')) throw new ServiceError('InvalidParameterValue', 'Group names may not be in the format sg-*.', 400);
      if (name.length > 255) throw new ServiceError('InvalidParameterValue', `Value (${name}) for parameter groupName is invalid. Character sets beyond ASCII are not supported, and the name may be at most 255 characters.`, 400);
      const vpc = s.vpcs.get(String(input.VpcId));
      if (!vpc) throw new ServiceError('InvalidVpcID.NotFound', `The vpc ID '${input.VpcId}' does not exist`, 400);
      if ([...s.securityGroups.values()].some((g) => g.vpcId === vpc.vpcId && g.groupName === name)) {
        throw new ServiceError('InvalidGroup.Duplicate', `The security group '${name}' already exists for VPC '${vpc.vpcId}'`, 400);
      }
      const g: SecurityGroup = {
        groupId: newId('sg'), groupName: name, description: String(input.GroupDescription), vpcId: vpc.vpcId, ownerId: s.accountId,
        ingress: [], egress: [{ ruleId: newId('sgr'), protocol: '-1', fromPort: -1, toPort: -1, source: { cidrIpv4: '0.0.0.0/0' } }],
        tags: tagSpecification(input, 'security-group'),
      };
      s.securityGroups.set(g.groupId, g);
      return { groupId: g.groupId, tagSet: tagSet(g.tags), securityGroupArn: securityGroupWire(g, ctx.region).securityGroupArn };
    },
    DescribeSecurityGroups(input, ctx) {
      const s = state(ctx);
      const names: string[] | undefined = input.GroupName;
      let items = byIds(s.securityGroups, input.GroupId, 'InvalidGroup.NotFound', 'security group');
      if (names && names.length > 0) items = names.map((n) => group(s, { GroupName: n }));
      const filtered = applyFilters(items, input.Filter, {
        'vpc-id': (g) => g.vpcId, 'group-id': (g) => g.groupId, 'group-name': (g) => g.groupName, description: (g) => g.description, 'owner-id': (g) => g.ownerId,
        'ip-permission.group-id': (g) => g.ingress.flatMap((r) => ('groupId' in r.source ? [r.source.groupId] : [])),
      });
      const { page, nextToken } = paginate(filtered, input);
      return { securityGroupInfo: page.map((g) => securityGroupWire(g, ctx.region)), nextToken };
    },
    DeleteSecurityGroup(input, ctx) {
      const s = state(ctx);
      const g = group(s, input);
      const referenced = [...s.securityGroups.values()].some((o) => o !== g && [...o.ingress, ...o.egress].some((r) => 'groupId' in r.source && r.source.groupId === g.groupId));
      if (referenced || deps.hooks.securityGroupUser?.(ctx.region, g.groupId)) {
        throw new ServiceError('DependencyViolation', `resource ${g.groupId} has a dependent object`, 400);
      }
      s.securityGroups.delete(g.groupId);
      return { return: true, groupId: g.groupId };
    },
    AuthorizeSecurityGroupIngress(input, ctx) {
      const s = state(ctx);
      const g = group(s, input);
      const rules = rulesOf(s, input.IpPermissions);
      for (const r of rules) {
        if (g.ingress.some((x) => sameRule(x, r))) {
          throw new ServiceError('InvalidPermission.Duplicate', `the specified rule "${ruleText(r)}" already exists`, 400);
        }
      }
      g.ingress.push(...rules);
      return { return: true, securityGroupRuleSet: rules.map((r) => ruleWire(g, r, false)) };
    },
    RevokeSecurityGroupIngress(input, ctx) {
      const s = state(ctx);
      const g = group(s, input);
      const rules = rulesOf(s, input.IpPermissions);
      for (const r of rules) {
        if (!g.ingress.some((x) => sameRule(x, r))) {
          throw new ServiceError('InvalidPermission.NotFound', 'The specified rule does not exist in this security group.', 400);
        }
      }
      g.ingress = g.ingress.filter((x) => !rules.some((r) => sameRule(x, r)));
      return { return: true };
    },
  };
}
