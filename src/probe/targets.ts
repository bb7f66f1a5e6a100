// What to probe, from the spec: every service with a probe, called through the public endpoint
// that serves it. The domain aliases the first ingress group's ALB only (one name, one alias);
// a service in a further group (past the ALB rule quota) is reachable only at its own group's ALB
// DNS name, so its probe dials that name and still checks the certificate for the domain (SNI and
// :authority are the domain, as for a client that pins the name).
import { parseDuration } from '../platform-spec/duration.js';
import type { GrpcStatusName } from '../platform-spec/types.js';
import type { ResolvedSpec } from '../platform-spec/resolved.js';
import { ingressGroups } from '../resources/kube/ingress-groups.js';
import { status as Status } from '@grpc/grpc-js';

export interface ProbeTarget {
  service: string;
  /** host:port clients dial (the domain, on 443; or the ALB of the service's ingress group). */
  address: string;
  /** The TLS server name and :authority when the address is not the domain itself. */
  serverName?: string;
  /** Fully qualified proto service and the unary method to call. */
  grpcService: string;
  method: string;
  request: Record<string, unknown>;
  intervalMs: number;
  timeoutMs: number;
  expectedCode: number;
  /** Probes one connection serves before a new one is dialled (DNS, TCP, TLS). */
  redialEvery: number;
}

export function statusCode(name: GrpcStatusName): number {
  return Status[name] as number;
}

/**
 * Pure: the probe targets of a spec (none until the platform has a domain). `albDnsNames` maps an
 * ingress group to its ALB's DNS name as read back; a service of a group beyond the first is not
 * probed until its ALB's name is known (through the domain it would reach another group's ALB).
 */
export function probeTargets(spec: ResolvedSpec, port = 443, albDnsNames: ReadonlyMap<string, string> = new Map()): ProbeTarget[] {
  if (!spec.domain) return [];
  const domain = spec.domain.name;
  const groups = spec.cluster ? ingressGroups(spec) : [];
  const groupOf = new Map(groups.flatMap((g) => g.services.map((s) => [s.name, g.name] as const)));
  const domainGroup = groups[0]?.name;
  return spec.services.filter((s) => s.probe).flatMap((s) => {
    const group = groupOf.get(s.name);
    const endpoint = group === undefined || group === domainGroup ? { address: `${domain}:${port}` }
      : albDnsNames.has(group) ? { address: `${albDnsNames.get(group)!}:${port}`, serverName: domain } : undefined;
    if (!endpoint) return [];
    return [{
      service: s.name,
      ...endpoint,
      grpcService: s.grpcService,
      method: s.probe!.method,
      request: s.probe!.request,
      intervalMs: parseDuration(s.probe!.interval),
      timeoutMs: parseDuration(s.probe!.timeout),
      expectedCode: statusCode(s.probe!.expectedStatus),
      redialEvery: s.probe!.redialEvery,
    }];
  });
}

/** The read-back ALB DNS names by ingress group, from the resources a plan observed. */
export function albDnsNamesOf(observed: Iterable<{ id: string; outputs: Record<string, unknown> }>): Map<string, string> {
  const names = new Map<string, string>();
  for (const r of observed) {
    const group = /^edge\/alb\/(.+)$/.exec(r.id)?.[1];
    if (group !== undefined && typeof r.outputs.dnsName === 'string' && r.outputs.dnsName) names.set(group, r.outputs.dnsName);
  }
  return names;
}
