// Pure decisions shared by the Ingress manifests (kube layer) and the ALB read-back (edge
// layer): which services go to which ingress group, the gRPC health check each group's target
// groups get, and the ALB path-pattern values the load balancer controller makes of a path.
import { parseDuration } from '../../platform-spec/duration.js';
import type { ResolvedService, ResolvedSpec } from '../../platform-spec/resolved.js';

/** ALB quota: rules per load balancer (alb-grpc.md §3). One rule per service. */
export const ALB_RULE_QUOTA = 100;
export const GRPC_HEALTH_CHECK_PATH = '/grpc.health.v1.Health/Check';
/** Any gRPC server answers UNIMPLEMENTED (12) for an unknown method: proof of life without a health service. */
export const GRPC_ANY_SERVER_PATH = '/AWS.ALB/healthcheck';

export interface IngressGroup {
  /** The alb.ingress.kubernetes.io/group.name, also the Ingress name and the ALB read-back id suffix. */
  name: string;
  /** 1-based position; 0 when the platform needs only one group. */
  index: number;
  /** Services of this group, sorted by name. */
  services: ResolvedService[];
}

export interface GroupHealthCheck {
  path: string;
  successCodes: string;
  intervalSeconds?: number;
  timeoutSeconds?: number;
}

/** Namespace a service lives in. */
export function serviceNamespace(s: ResolvedService): string {
  return s.namespace;
}

/**
 * Split services into ingress groups of at most `spec.ingress.maxRulesPerGroup` (default: the ALB
 * quota). One group is named after the platform; several are `<platform>-1`, `<platform>-2`, …
 * Assignment is by sorted service name, so it only moves when services are added or removed.
 */
export function ingressGroups(spec: ResolvedSpec): IngressGroup[] {
  const max = Math.max(1, Math.min(spec.ingress.maxRulesPerGroup, ALB_RULE_QUOTA));
  const sorted = [...spec.services].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  if (sorted.length === 0) return [];
  if (sorted.length <= max) return [{ name: spec.metadata.name, index: 0, services: sorted }];
  const groups: IngressGroup[] = [];
  for (let i = 0; i < sorted.length; i += max) {
    const index = groups.length + 1;
    groups.push({ name: `${spec.metadata.name}-${index}`, index, services: sorted.slice(i, i + max) });
  }
  return groups;
}

/** The note the plan carries when services are split over several ALBs. */
export function splitNote(spec: ResolvedSpec, groups: IngressGroup[]): string | undefined {
  if (groups.length <= 1) return undefined;
  const max = Math.min(spec.ingress.maxRulesPerGroup, ALB_RULE_QUOTA);
  const parts = groups.map((g) => `${g.name}: ${g.services.length} (${g.services[0]!.name} … ${g.services.at(-1)!.name})`);
  const split = `${spec.services.length} services exceed ${max} ALB rules per load balancer: split into ${groups.length} ingress groups, one ALB each — ${parts.join('; ')}`;
  // One DNS name can alias one ALB only: say plainly which services the domain reaches.
  return spec.domain ? `${split}. ${spec.domain.name} points at ${groups[0]!.name}'s ALB; the other groups have only their own ALB DNS names` : split;
}

/**
 * The health check of a group's target groups: the gRPC health service with code 0 when every
 * service implements it, else the works-for-any-server check (UNIMPLEMENTED = 12); the spec may
 * override each part.
 */
export function groupHealthCheck(spec: ResolvedSpec, services: ResolvedService[]): GroupHealthCheck {
  const allHealth = services.length > 0 && services.every((s) => s.healthService);
  const o = spec.ingress.healthCheck;
  const hc: GroupHealthCheck = {
    path: o?.path ?? (allHealth ? GRPC_HEALTH_CHECK_PATH : GRPC_ANY_SERVER_PATH),
    successCodes: o?.successCodes ?? (allHealth ? '0' : '12'),
  };
  if (o?.interval !== undefined) hc.intervalSeconds = durationSeconds(o.interval);
  if (o?.timeout !== undefined) hc.timeoutSeconds = durationSeconds(o.timeout);
  return hc;
}

/**
 * A spec duration ("10s", "1m30s") → whole seconds (health-check settings are integers). Never
 * rounds: validation rejects a fraction of a second (SPEC_WHOLE_SECONDS), so one here is a bug.
 */
export function durationSeconds(d: string): number {
  const ms = parseDuration(d);
  if (ms % 1000 !== 0) throw new Error(`${d} is not a whole number of seconds`);
  return ms / 1000;
}

/**
 * The ALB path-pattern values the load balancer controller makes of a Prefix path: the path
 * without its trailing slash, and that plus `/*` (alb-grpc.md §3).
 */
export function prefixPathValues(path: string): string[] {
  if (path === '/') return ['/*'];
  const trimmed = path.replace(/\/+$/, '');
  return [trimmed, `${trimmed}/*`];
}
