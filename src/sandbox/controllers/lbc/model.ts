// Pure: an ingress group → the ALB stack the load balancer controller would deploy (after
// pkg/ingress/model_build_*.go): one ALB, a listener per listen-port, one rule per Ingress path
// in group order, a target group per backend Service port, targets from ready endpoints.
// Anything the real controller refuses to build raises BuildError (→ FailedBuildModel).
import { BuildError, groupName, ingressSettings, targetGroupSettings, type IngressSettings, type TargetGroupSettings } from './annotations.js';
import { loadBalancerName, targetGroupName } from './names.js';
import type { Endpoint, IngressObject, IngressPath, ServiceObject, ServicePort } from './objects.js';

export const TAG_CLUSTER = 'elbv2.k8s.aws/cluster';
export const TAG_STACK = 'ingress.k8s.aws/stack';
export const TAG_RESOURCE = 'ingress.k8s.aws/resource';

export interface TargetGroupModel extends TargetGroupSettings {
  /** `<namespace>/<ingress>-<service>:<port>`: the ingress.k8s.aws/resource tag value. */
  resourceId: string;
  name: string;
  port: number;
  targets: Endpoint[];
  /** The backend Service: where its TargetGroupBinding lives and what it refers to (built stacks always set it). */
  service?: { namespace: string; name: string; port: number; targetPort: number | string };
}

export interface RuleModel {
  priority: number;
  pathValues: string[];
  hosts: string[];
  targetGroup: string;
}

export interface ListenerModel {
  port: number;
  protocol: 'HTTP' | 'HTTPS';
  certificateArns: string[];
  sslPolicy?: string;
  /** Forward target of spec.defaultBackend, else the 404 fixed response. */
  defaultTargetGroup?: string;
  rules: RuleModel[];
}

export interface StackModel {
  stackId: string;
  loadBalancer: { name: string; scheme: 'internal' | 'internet-facing'; ipAddressType: string; subnets: string[]; tags: Record<string, string> };
  listeners: ListenerModel[];
  targetGroups: TargetGroupModel[];
  /** Tags every resource of the stack carries (cluster, stack and the user's tags annotation). */
  tags: Record<string, string>;
}

export interface BuildInput {
  clusterName: string;
  /** The group's stack id: the group name, or `<namespace>/<name>` for an implicit group. */
  stackId: string;
  explicit: boolean;
  /** Member Ingresses that are not being deleted. */
  ingresses: IngressObject[];
  service(namespace: string, name: string): ServiceObject | undefined;
  /** Ready endpoints behind a Service port (EndpointSlices or Pods). */
  endpoints(namespace: string, service: ServiceObject, port: number): Endpoint[];
  /** Subnets discovered for a scheme, one per zone; throws BuildError when discovery fails. */
  subnets(scheme: 'internal' | 'internet-facing'): string[];
}

/** Build the stack or throw BuildError with the controller's kind of message. */
export function buildStack(input: BuildInput): StackModel {
  const members = [...input.ingresses].map((ing) => ({ ing, settings: ingressSettings(ing) }));
  for (const m of members) groupName(m.ing);
  members.sort((a, b) => a.settings.groupOrder - b.settings.groupOrder || key(a.ing).localeCompare(key(b.ing)));
  const scheme = single(members.map((m) => m.settings.scheme), 'scheme');
  const ipAddressType = single(members.map((m) => m.settings.ipAddressType), 'ip-address-type');
  const userTags: Record<string, string> = {};
  for (const m of members) Object.assign(userTags, m.settings.tags);
  const tags = { ...userTags, [TAG_CLUSTER]: input.clusterName, [TAG_STACK]: input.stackId };

  const listeners = new Map<number, ListenerModel>();
  const groups = new Map<string, TargetGroupModel>();
  const defaults: string[] = [];
  for (const { ing, settings } of members) {
    const ports = listenersOf(ing, settings);
    for (const lp of ports) {
      const l = listeners.get(lp.port) ?? { ...lp, rules: [] };
      if (l.protocol !== lp.protocol) throw new BuildError(`conflicting protocol on port ${lp.port}: ${l.protocol} and ${lp.protocol}`);
      l.certificateArns = [...new Set([...l.certificateArns, ...lp.certificateArns])];
      listeners.set(lp.port, l);
    }
    const backendTg = (backend: IngressPath['backend']) => {
      const tg = targetGroupFor(input, ing, backend, input.stackId);
      groups.set(tg.resourceId, groups.get(tg.resourceId) ?? tg);
      return tg.resourceId;
    };
    if (ing.spec?.defaultBackend) defaults.push(backendTg(ing.spec.defaultBackend));
    for (const rule of ing.spec?.rules ?? []) {
      for (const p of sortIngressPaths(rule.http?.paths ?? [])) {
        const tgKey = backendTg(p.backend);
        for (const lp of ports) {
          const l = listeners.get(lp.port)!;
          l.rules.push({ priority: l.rules.length + 1, pathValues: pathValues(p), hosts: rule.host ? [rule.host] : [], targetGroup: tgKey });
        }
      }
    }
  }
  if (defaults.length === 1) for (const l of listeners.values()) l.defaultTargetGroup = defaults[0];
  const subnets = input.subnets(scheme);
  const lbName = members.find((m) => m.settings.loadBalancerName)?.settings.loadBalancerName
    ?? loadBalancerName(input.clusterName, input.stackId, input.explicit, scheme);
  return {
    stackId: input.stackId,
    loadBalancer: { name: lbName, scheme, ipAddressType, subnets, tags: { ...tags, [TAG_RESOURCE]: 'LoadBalancer' } },
    listeners: [...listeners.values()].sort((a, b) => a.port - b.port),
    targetGroups: [...groups.values()],
    tags,
  };
}

function key(ing: IngressObject): string {
  return `${ing.metadata.namespace ?? ''}/${ing.metadata.name}`;
}

function single<T>(values: T[], what: string): T {
  const distinct = [...new Set(values)];
  if (distinct.length > 1) throw new BuildError(`conflicting ${what}: ${distinct.join(', ')}`);
  return distinct[0]!;
}

function listenersOf(ing: IngressObject, s: IngressSettings): Omit<ListenerModel, 'rules'>[] {
  return s.listenPorts.map((lp) => {
    if (lp.protocol === 'HTTPS' && s.certificateArns.length === 0) {
      // Certificate discovery needs hosts (spec.tls or rule hosts); our Ingresses name none.
      const hosts = (ing.spec?.tls ?? []).flatMap((t) => t.hosts ?? []);
      throw new BuildError(`failed to build listener for port ${lp.port}: no certificate found for host(s) ${JSON.stringify(hosts)}`);
    }
    return lp.protocol === 'HTTPS'
      ? { port: lp.port, protocol: lp.protocol, certificateArns: s.certificateArns, sslPolicy: s.sslPolicy }
      : { port: lp.port, protocol: lp.protocol, certificateArns: [] };
  });
}

/**
 * The order the controller gives one Ingress rule's paths, and so their rule priorities (numbered
 * 1, 2, … per listener in this order, group member by group member): Exact paths first as written,
 * then Prefix paths longest first (a stable sort on the raw path's length), then
 * ImplementationSpecific or untyped paths as written. Upstream v3.5.0
 * pkg/ingress/model_build_listener_rules.go sortIngressPaths / classifyIngressPathsByType.
 */
export function sortIngressPaths(paths: IngressPath[]): IngressPath[] {
  const typed = (type: IngressPath['pathType']) => paths.filter((p) => (p.pathType ?? 'ImplementationSpecific') === type);
  const unknown = paths.find((p) => !['Exact', 'Prefix', 'ImplementationSpecific', undefined].includes(p.pathType));
  if (unknown) throw new BuildError(`unknown pathType for path ${unknown.path ?? ''}`);
  // Array.prototype.sort is stable (ES2019), as Go's sort.SliceStable.
  const prefix = typed('Prefix').sort((a, b) => (b.path ?? '').length - (a.path ?? '').length);
  return [...typed('Exact'), ...prefix, ...typed('ImplementationSpecific')];
}

/** Ingress path → ALB path-pattern values (model_build_listener_rules.go; alb-grpc.md §3). */
export function pathValues(p: Pick<IngressPath, 'path' | 'pathType'>): string[] {
  const path = p.path ?? '';
  const type = p.pathType ?? 'ImplementationSpecific';
  if (type === 'ImplementationSpecific') return [path === '' ? '/*' : path];
  if (/[*?]/.test(path)) throw new BuildError(`path ${JSON.stringify(path)}: wildcards are not allowed with pathType ${type}`);
  if (!path.startsWith('/')) throw new BuildError(`path ${JSON.stringify(path)} must begin with '/'`);
  if (type === 'Exact') return [path];
  if (path === '/') return ['/*'];
  const trimmed = path.replace(/\/+$/, '');
  return [trimmed, `${trimmed}/*`];
}

function targetGroupFor(input: BuildInput, ing: IngressObject, backend: IngressPath['backend'], stackId: string): TargetGroupModel {
  const ns = ing.metadata.namespace ?? 'default';
  const ref = backend.service;
  if (!ref) throw new BuildError(`ingress ${ns}/${ing.metadata.name}: only service backends are supported`);
  const svc = input.service(ns, ref.name);
  if (!svc) throw new BuildError(`failed to load service ${ns}/${ref.name}: Service "${ref.name}" not found`);
  const sp = (svc.spec?.ports ?? []).find((p) => (ref.port.name !== undefined ? p.name === ref.port.name : p.port === ref.port.number));
  if (!sp) throw new BuildError(`unable to find port ${ref.port.name ?? ref.port.number} on service ${ns}/${ref.name}`);
  const settings = targetGroupSettings(ing, svc);
  const resourceId = `${ns}/${ing.metadata.name}-${ref.name}:${sp.port}`;
  const port = targetGroupPort(settings.targetType, sp);
  if (port === 0) {
    throw new BuildError(settings.targetType === 'ip' ? 'TargetGroup port is empty. Are you using the correct service type?'
      : 'TargetGroup port is empty. When using Instance targets, your service be must of type \'NodePort\' or \'LoadBalancer\'');
  }
  return {
    ...settings,
    resourceId,
    name: targetGroupName(input.clusterName, stackId, resourceId, ns, ref.name, settings, port),
    port,
    targets: settings.targetType === 'ip' ? input.endpoints(ns, svc, sp.port) : [],
    service: { namespace: ns, name: ref.name, port: sp.port, targetPort: settings.targetType === 'instance' ? (sp.nodePort ?? sp.port) : (sp.targetPort ?? sp.port) },
  };
}

/**
 * The target group's port as the controller sets it (upstream v3.5.0
 * pkg/ingress/model_build_target_group.go buildTargetGroupPort): the node port for instance
 * targets; for IP targets the Service's numeric targetPort (the pod port), or a fixed 1 when the
 * targetPort is a name (not on the data path: targets are registered with their own port).
 * 0 means empty (a ClusterIP Service behind instance targets), which the caller refuses.
 */
export function targetGroupPort(targetType: TargetGroupSettings['targetType'], sp: ServicePort): number {
  if (targetType === 'instance') return sp.nodePort ?? 0;
  // kube-apiserver defaults an omitted targetPort to the port (SetDefaults_Service).
  const target = sp.targetPort ?? sp.port;
  return typeof target === 'number' ? target : 1;
}
