// The load balancer's security groups, as the controller (v3.5.0, defaults) manages them:
// - a managed frontend group per ingress group (pkg/ingress/model_build_managed_sg.go): named
//   like the load balancer, description "[k8s] Managed SecurityGroup for LoadBalancer", tagged at
//   creation (pkg/deploy/ec2/security_group_manager.go Create: TagSpecifications with the stack's
//   tracking tags + ingress.k8s.aws/resource=ManagedLBSecurityGroup + the tags annotation), letting
//   each listener port in from inbound-cidrs (default 0.0.0.0/0, and ::/0 when dualstack);
// - the cluster's one shared backend group (pkg/networking/backend_sg_provider.go,
//   --enable-backend-security-group defaults to true): "k8s-traffic-<cluster>-<hash>", tags
//   elbv2.k8s.aws/cluster and elbv2.k8s.aws/resource=backend-sg, found by those tags in the VPC,
//   attached to every load balancer beside its frontend group, and the source of the rules the
//   TargetGroupBindings' spec.networking opens on the nodes' group (target-group-bindings.ts).
//   Released (deleted) once no Ingress carries the controller's finalizer.
import { TAG_CLUSTER, TAG_RESOURCE, TAG_STACK, type StackModel } from './model.js';
import { backendSecurityGroupName, managedSecurityGroupName } from './names.js';

/** One EC2 call in-process (Ec2Service.invoke bound to a region), wire-shaped input. */
export type Ec2Call = (operation: string, input: Record<string, unknown>) => Promise<any>;

const MANAGED_SG_RESOURCE = 'ManagedLBSecurityGroup';
const BACKEND_SG_RESOURCE_TAG = 'elbv2.k8s.aws/resource';

interface WireGroup {
  groupId: string;
  ipPermissions?: { ipProtocol: string; fromPort?: number; toPort?: number; ipRanges?: { cidrIp: string }[]; ipv6Ranges?: { cidrIpv6: string }[] }[];
}

function tagSpecification(tags: Record<string, string>) {
  return [{ ResourceType: 'security-group', Tag: Object.entries(tags).sort(([a], [b]) => a.localeCompare(b)).map(([Key, Value]) => ({ Key, Value })) }];
}

async function findGroups(ec2: Ec2Call, vpcId: string, tags: Record<string, string>): Promise<WireGroup[]> {
  const Filter = [{ Name: 'vpc-id', Value: [vpcId] }, ...Object.entries(tags).map(([k, v]) => ({ Name: `tag:${k}`, Value: [v] }))];
  return ((await ec2('DescribeSecurityGroups', { Filter })).securityGroupInfo ?? []) as WireGroup[];
}

function managedTags(clusterName: string, stackId: string): Record<string, string> {
  return { [TAG_CLUSTER]: clusterName, [TAG_STACK]: stackId, [TAG_RESOURCE]: MANAGED_SG_RESOURCE };
}

/** The stack's frontend group, created (tags given at creation) and its listener rules reconciled. */
export async function ensureManagedSecurityGroup(ec2: Ec2Call, vpcId: string, clusterName: string, explicit: boolean, stack: StackModel): Promise<string> {
  const tracking = managedTags(clusterName, stack.stackId);
  let group = (await findGroups(ec2, vpcId, tracking))[0];
  if (!group) {
    const created = await ec2('CreateSecurityGroup', {
      VpcId: vpcId, GroupName: managedSecurityGroupName(clusterName, stack.stackId, explicit),
      GroupDescription: '[k8s] Managed SecurityGroup for LoadBalancer',
      TagSpecification: tagSpecification({ ...stack.tags, ...tracking }),
    });
    group = { groupId: created.groupId, ipPermissions: [] };
  }
  const cidrs = stack.loadBalancer.ipAddressType === 'dualstack' ? ['0.0.0.0/0', '::/0'] : ['0.0.0.0/0'];
  const want = stack.listeners.flatMap((l) => cidrs.map((cidr) => ({ port: l.port, cidr })));
  const have = (group.ipPermissions ?? []).flatMap((p) => [...(p.ipRanges ?? []).map((r) => r.cidrIp), ...(p.ipv6Ranges ?? []).map((r) => r.cidrIpv6)]
    .map((cidr) => ({ protocol: p.ipProtocol, port: Number(p.fromPort), toPort: Number(p.toPort), cidr })));
  const permission = (port: number, cidr: string) => ({ IpProtocol: 'tcp', FromPort: port, ToPort: port,
    ...(cidr.includes(':') ? { Ipv6Ranges: [{ CidrIpv6: cidr }] } : { IpRanges: [{ CidrIp: cidr }] }) });
  const extra = have.filter((h) => !(h.protocol === 'tcp' && h.port === h.toPort && want.some((w) => w.port === h.port && w.cidr === h.cidr)));
  if (extra.length > 0) {
    await ec2('RevokeSecurityGroupIngress', { GroupId: group.groupId, IpPermissions: extra.map((h) => ({ IpProtocol: h.protocol, FromPort: h.port, ToPort: h.toPort,
      ...(h.cidr.includes(':') ? { Ipv6Ranges: [{ CidrIpv6: h.cidr }] } : { IpRanges: [{ CidrIp: h.cidr }] }) })) });
  }
  const missing = want.filter((w) => !have.some((h) => h.protocol === 'tcp' && h.port === w.port && h.toPort === w.port && h.cidr === w.cidr));
  if (missing.length > 0) await ec2('AuthorizeSecurityGroupIngress', { GroupId: group.groupId, IpPermissions: missing.map((m) => permission(m.port, m.cidr)) });
  return group.groupId;
}

/** Delete the stack's frontend group (after its load balancer is gone). */
export async function deleteManagedSecurityGroup(ec2: Ec2Call, vpcId: string, clusterName: string, stackId: string): Promise<void> {
  for (const g of await findGroups(ec2, vpcId, managedTags(clusterName, stackId))) await ec2('DeleteSecurityGroup', { GroupId: g.groupId });
}

function backendTags(clusterName: string): Record<string, string> {
  return { [TAG_CLUSTER]: clusterName, [BACKEND_SG_RESOURCE_TAG]: 'backend-sg' };
}

/** The cluster's shared backend group, found by its tags or created with them. */
export async function ensureBackendSecurityGroup(ec2: Ec2Call, vpcId: string, clusterName: string): Promise<string> {
  const found = (await findGroups(ec2, vpcId, backendTags(clusterName)))[0];
  if (found) return found.groupId;
  const created = await ec2('CreateSecurityGroup', {
    VpcId: vpcId, GroupName: backendSecurityGroupName(clusterName), GroupDescription: '[k8s] Shared Backend SecurityGroup for LoadBalancer',
    TagSpecification: tagSpecification(backendTags(clusterName)),
  });
  return created.groupId as string;
}

/** Delete the shared backend group; the caller has checked that no Ingress still needs it. */
export async function releaseBackendSecurityGroup(ec2: Ec2Call, vpcId: string, clusterName: string): Promise<void> {
  for (const g of await findGroups(ec2, vpcId, backendTags(clusterName))) await ec2('DeleteSecurityGroup', { GroupId: g.groupId });
}
