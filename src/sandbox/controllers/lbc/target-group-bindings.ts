// TargetGroupBindings and the networking they ask for, as the controller (v3.5.0) does it:
// - one TargetGroupBinding per target group, in the Service's namespace, named like the target
//   group, labelled with the stack (pkg/ingress/model_build_target_group.go
//   buildTargetGroupBindingSpec; pkg/deploy/elbv2/target_group_binding_manager.go Create/Update,
//   tracking labels ingress.k8s.aws/stack-namespace + stack-name, or ingress.k8s.aws/stack for an
//   explicit group), with spec.networking.ingress: from the backend security group, TCP to the
//   target port (and the health check port when it is not traffic-port)
//   (buildTargetGroupBindingNetworking, restricted rules as by default);
// - the networking manager (pkg/networking/networking_manager.go) reads the bindings BACK from
//   the API server and opens, on the targets' security group (the one tagged
//   kubernetes.io/cluster/<cluster> in the VPC: resolveEndpointSGForENI / fetchEndpointSGsFromAWS),
//   one rule per source group spanning the lowest to the highest port asked
//   (computeRestrictedIngressPermissionsPerSG), described "elbv2.k8s.aws/targetGroupBinding=shared";
//   rules with that description that no binding asks for are revoked. So a binding whose
//   spec.networking was pruned by its CRD opens nothing, as on a real cluster.
// NOTE(sandbox): targets are still registered by the Ingress reconcile (deploy.ts), not by a
// separate TargetGroupBinding reconciler, and networking is reconciled when a group is.
import type { KubeObject } from './objects.js';
import type { StackModel } from './model.js';
import type { Ec2Call } from './security-groups.js';

export const TGB_API_VERSION = 'elbv2.k8s.aws/v1beta1';
const SHARED_RULE_DESCRIPTION = 'elbv2.k8s.aws/targetGroupBinding=shared';

/** TargetGroupBinding access through the cluster's API server (so CRD pruning applies). */
export interface TargetGroupBindingStore {
  list(): KubeObject[];
  create(tgb: KubeObject): Promise<void>;
  replaceSpec(namespace: string, name: string, labels: Record<string, string>, spec: unknown): Promise<void>;
  delete(namespace: string, name: string): Promise<void>;
}

/** Tracking labels of a stack (pkg/deploy/tracking/provider.go StackLabels). */
function stackLabels(stackId: string, explicit: boolean): Record<string, string> {
  if (explicit) return { 'ingress.k8s.aws/stack': stackId };
  const [namespace = '', name = ''] = stackId.split('/');
  return { 'ingress.k8s.aws/stack-namespace': namespace, 'ingress.k8s.aws/stack-name': name };
}

function ofStack(tgb: KubeObject, labels: Record<string, string>): boolean {
  return Object.entries(labels).every(([k, v]) => tgb.metadata.labels?.[k] === v);
}

/** The bindings a stack wants, keyed by namespace/name. */
export function desiredBindings(stack: StackModel, explicit: boolean, tgArns: Map<string, string>, backendSg: string, vpcId: string): KubeObject[] {
  return stack.targetGroups.flatMap((tg) => {
    if (!tg.service) return [];
    const ports: (number | string)[] = [tg.service.targetPort];
    const hcPort = Number(tg.healthCheck.port);
    if (tg.healthCheck.port !== 'traffic-port' && Number.isInteger(hcPort)) ports.push(hcPort);
    return {
      apiVersion: TGB_API_VERSION, kind: 'TargetGroupBinding',
      metadata: { name: tg.name, namespace: tg.service.namespace, labels: stackLabels(stack.stackId, explicit) },
      spec: {
        targetGroupARN: tgArns.get(tg.resourceId), targetType: tg.targetType,
        serviceRef: { name: tg.service.name, port: tg.service.port },
        networking: { ingress: ports.map((port) => ({ from: [{ securityGroup: { groupID: backendSg } }], ports: [{ protocol: 'TCP', port }] })) },
        ipAddressType: 'ipv4', vpcID: vpcId,
      },
    } satisfies KubeObject;
  });
}

/** Create, update and delete the stack's bindings until they match `desired` (empty: delete all). */
export async function syncBindings(store: TargetGroupBindingStore, stackId: string, explicit: boolean, desired: KubeObject[]): Promise<void> {
  const labels = stackLabels(stackId, explicit);
  const live = store.list().filter((t) => ofStack(t, labels));
  const key = (o: KubeObject) => `${o.metadata.namespace}/${o.metadata.name}`;
  for (const d of desired) {
    const existing = live.find((l) => key(l) === key(d));
    if (!existing) await store.create(d);
    else if (JSON.stringify(existing.spec) !== JSON.stringify(d.spec)) await store.replaceSpec(d.metadata.namespace!, d.metadata.name, labels, d.spec);
  }
  for (const l of live) if (!desired.some((d) => key(d) === key(l))) await store.delete(l.metadata.namespace ?? 'default', l.metadata.name);
}

interface Permission { protocol: string; fromPort: number; toPort: number; groupId?: string; cidr?: string }

/** What the bindings' spec.networking asks for, aggregated per source as the restricted rules are. */
function permissionsOf(bindings: KubeObject[], targetPorts: (tgb: KubeObject) => number[]): Permission[] {
  const byGroup = new Map<string, Permission>();
  const byCidr = new Map<string, Permission>();
  for (const tgb of bindings) {
    for (const rule of tgb.spec?.networking?.ingress ?? []) {
      for (const peer of rule.from ?? []) {
        const ports: { protocol?: string; port?: number | string }[] = rule.ports?.length ? rule.ports : [{ protocol: 'TCP' }];
        for (const p of ports) {
          const protocol = p.protocol === 'UDP' ? 'udp' : 'tcp';
          const numbers = p.port === undefined ? [[0, 65535]] : typeof p.port === 'number' ? [[p.port, p.port]] : targetPorts(tgb).map((n) => [n, n]);
          for (const [from, to] of numbers as [number, number][]) {
            if (peer.securityGroup?.groupID) {
              const k = `${protocol}|${peer.securityGroup.groupID}`;
              const prev = byGroup.get(k);
              byGroup.set(k, { protocol, groupId: peer.securityGroup.groupID, fromPort: Math.min(prev?.fromPort ?? from, from), toPort: Math.max(prev?.toPort ?? to, to) });
            } else if (peer.ipBlock?.cidr) {
              byCidr.set(`${protocol}|${peer.ipBlock.cidr}|${from}|${to}`, { protocol, cidr: peer.ipBlock.cidr, fromPort: from, toPort: to });
            }
          }
        }
      }
    }
  }
  return [...byGroup.values(), ...byCidr.values()];
}

function wirePermission(p: Permission) {
  const source = p.groupId ? { Groups: [{ GroupId: p.groupId, Description: SHARED_RULE_DESCRIPTION }] } : { IpRanges: [{ CidrIp: p.cidr, Description: SHARED_RULE_DESCRIPTION }] };
  return { IpProtocol: p.protocol, FromPort: p.fromPort, ToPort: p.toPort, ...source };
}

/** Bring the rules every binding of the cluster asks for onto the targets' security group(s). */
export async function reconcileNetworking(ec2: Ec2Call, store: TargetGroupBindingStore, vpcId: string, clusterName: string, targetPorts: (tgb: KubeObject) => number[]): Promise<void> {
  const Filter = [{ Name: 'vpc-id', Value: [vpcId] }, { Name: `tag:kubernetes.io/cluster/${clusterName}`, Value: ['owned', 'shared'] }];
  const endpointGroups = ((await ec2('DescribeSecurityGroups', { Filter })).securityGroupInfo ?? []) as any[];
  const bindings = store.list().filter((t) => t.spec?.networking && !t.metadata.deletionTimestamp);
  const want = permissionsOf(bindings, targetPorts);
  for (const g of endpointGroups) {
    const have: (Permission & { description?: string })[] = (g.ipPermissions ?? []).flatMap((p: any) => [
      ...(p.groups ?? []).map((s: any) => ({ protocol: p.ipProtocol, fromPort: Number(p.fromPort ?? -1), toPort: Number(p.toPort ?? -1), groupId: s.groupId, description: s.description })),
      ...(p.ipRanges ?? []).map((s: any) => ({ protocol: p.ipProtocol, fromPort: Number(p.fromPort ?? -1), toPort: Number(p.toPort ?? -1), cidr: s.cidrIp, description: s.description })),
    ]);
    const same = (a: Permission, b: Permission) => a.protocol === b.protocol && a.fromPort === b.fromPort && a.toPort === b.toPort && a.groupId === b.groupId && a.cidr === b.cidr;
    const revoke = have.filter((h) => h.description === SHARED_RULE_DESCRIPTION && !want.some((w) => same(w, h)));
    const grant = want.filter((w) => !have.some((h) => same(w, h)));
    if (revoke.length > 0) await ec2('RevokeSecurityGroupIngress', { GroupId: g.groupId, IpPermissions: revoke.map(wirePermission) });
    if (grant.length > 0) await ec2('AuthorizeSecurityGroupIngress', { GroupId: g.groupId, IpPermissions: grant.map(wirePermission) });
  }
}
