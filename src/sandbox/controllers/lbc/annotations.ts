// The `alb.ingress.kubernetes.io/*` annotations the emulated controller understands, parsed and
// validated the way the real controller does (alb-grpc.md §2): invalid values fail the model
// build with a message naming the annotation. Target-group annotations may also sit on the
// Service, which then takes precedence (as in the real controller).
import type { KubeObject } from './objects.js';

const PREFIX = 'alb.ingress.kubernetes.io/';

/** A model-build failure; becomes a Warning Event (FailedBuildModel) on the Ingress. */
export class BuildError extends Error {
  override readonly name = 'BuildError';
}

export interface ListenPort {
  protocol: 'HTTP' | 'HTTPS';
  port: number;
}

export interface IngressSettings {
  scheme: 'internal' | 'internet-facing';
  ipAddressType: 'ipv4' | 'dualstack';
  listenPorts: ListenPort[];
  certificateArns: string[];
  sslPolicy: string;
  groupOrder: number;
  tags: Record<string, string>;
  loadBalancerName?: string;
}

export interface TargetGroupSettings {
  targetType: 'instance' | 'ip';
  backendProtocol: 'HTTP' | 'HTTPS';
  protocolVersion: 'HTTP1' | 'HTTP2' | 'GRPC';
  healthCheck: {
    path: string;
    protocol: 'HTTP' | 'HTTPS';
    port: string;
    intervalSeconds: number;
    timeoutSeconds: number;
    healthyThreshold: number;
    unhealthyThreshold: number;
    successCodes: string;
  };
}

function get(o: KubeObject | undefined, name: string): string | undefined {
  const v = o?.metadata.annotations?.[PREFIX + name];
  return v === undefined ? undefined : v.trim();
}

function oneOf<T extends string>(value: string | undefined, allowed: readonly T[], name: string, fallback: T): T {
  if (value === undefined) return fallback;
  if (!(allowed as readonly string[]).includes(value)) {
    throw new BuildError(`failed to parse annotation ${PREFIX}${name}: unknown value ${JSON.stringify(value)}, must be one of ${allowed.join(', ')}`);
  }
  return value as T;
}

function int(value: string | undefined, name: string, fallback: number, min: number, max: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!/^-?\d+$/.test(value) || n < min || n > max) {
    throw new BuildError(`failed to parse annotation ${PREFIX}${name}: ${JSON.stringify(value)} must be an integer between ${min} and ${max}`);
  }
  return n;
}

/** Ingress-level (load balancer and listener) settings of one Ingress. */
export function ingressSettings(ing: KubeObject): IngressSettings {
  const certificateArns = (get(ing, 'certificate-arn') ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  const listenPorts = parseListenPorts(get(ing, 'listen-ports'), certificateArns.length > 0);
  return {
    scheme: oneOf(get(ing, 'scheme'), ['internal', 'internet-facing'] as const, 'scheme', 'internal'),
    ipAddressType: oneOf(get(ing, 'ip-address-type'), ['ipv4', 'dualstack'] as const, 'ip-address-type', 'ipv4'),
    listenPorts,
    certificateArns,
    sslPolicy: get(ing, 'ssl-policy') ?? 'ELBSecurityPolicy-2016-08',
    groupOrder: int(get(ing, 'group.order'), 'group.order', 0, -1000, 1000),
    tags: parseTags(get(ing, 'tags')),
    loadBalancerName: get(ing, 'load-balancer-name'),
  };
}

/** listen-ports: JSON like [{"HTTPS":443}]; default HTTP:80, or HTTPS:443 when a certificate is set. */
export function parseListenPorts(raw: string | undefined, hasCertificate: boolean): ListenPort[] {
  if (raw === undefined) return [hasCertificate ? { protocol: 'HTTPS', port: 443 } : { protocol: 'HTTP', port: 80 }];
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new BuildError(`failed to parse annotation ${PREFIX}listen-ports: ${JSON.stringify(raw)} is not valid JSON`);
  }
  if (!Array.isArray(parsed) || parsed.length === 0) throw new BuildError(`failed to parse annotation ${PREFIX}listen-ports: expected a non-empty JSON list`);
  const out: ListenPort[] = [];
  for (const entry of parsed) {
    const pairs = entry && typeof entry === 'object' ? Object.entries(entry as Record<string, unknown>) : [];
    if (pairs.length !== 1) throw new BuildError(`failed to parse annotation ${PREFIX}listen-ports: each entry must be one {"PROTOCOL": port}`);
    const [protocol, port] = pairs[0]!;
    if (protocol !== 'HTTP' && protocol !== 'HTTPS') throw new BuildError(`failed to parse annotation ${PREFIX}listen-ports: unsupported protocol ${protocol}`);
    if (typeof port !== 'number' || !Number.isInteger(port) || port < 1 || port > 65535) {
      throw new BuildError(`failed to parse annotation ${PREFIX}listen-ports: invalid port ${JSON.stringify(port)}`);
    }
    out.push({ protocol, port });
  }
  return out;
}

/** tags: "k1=v1,k2=v2". */
function parseTags(raw: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (!raw) return out;
  for (const part of raw.split(',')) {
    const [k, ...rest] = part.split('=');
    const key = (k ?? '').trim();
    if (!key || rest.length === 0) throw new BuildError(`failed to parse annotation ${PREFIX}tags: ${JSON.stringify(part)} is not key=value`);
    out[key] = rest.join('=').trim();
  }
  return out;
}

/** Target-group settings for one backend: Service annotations win over the Ingress's. */
export function targetGroupSettings(ing: KubeObject, svc: KubeObject | undefined): TargetGroupSettings {
  const pick = (name: string) => get(svc, name) ?? get(ing, name);
  const protocolVersion = oneOf(pick('backend-protocol-version'), ['HTTP1', 'HTTP2', 'GRPC'] as const, 'backend-protocol-version', 'HTTP1');
  const grpc = protocolVersion === 'GRPC';
  const successCodes = pick('success-codes') ?? (grpc ? '12' : '200');
  const codePattern = grpc ? /^\d{1,2}(?:-\d{1,2})?(?:,\d{1,2}(?:-\d{1,2})?)*$/ : /^\d{3}(?:-\d{3})?(?:,\d{3}(?:-\d{3})?)*$/;
  if (!codePattern.test(successCodes)) {
    throw new BuildError(`failed to parse annotation ${PREFIX}success-codes: ${JSON.stringify(successCodes)} is not valid for ${grpc ? 'gRPC (codes 0-99)' : 'HTTP (codes 200-499)'}`);
  }
  const interval = int(pick('healthcheck-interval-seconds'), 'healthcheck-interval-seconds', 15, 5, 300);
  const timeout = int(pick('healthcheck-timeout-seconds'), 'healthcheck-timeout-seconds', 5, 2, 120);
  return {
    targetType: oneOf(pick('target-type'), ['instance', 'ip'] as const, 'target-type', 'instance'),
    backendProtocol: oneOf(pick('backend-protocol'), ['HTTP', 'HTTPS'] as const, 'backend-protocol', 'HTTP'),
    protocolVersion,
    healthCheck: {
      path: pick('healthcheck-path') ?? (grpc ? '/AWS.ALB/healthcheck' : '/'),
      protocol: oneOf(pick('healthcheck-protocol'), ['HTTP', 'HTTPS'] as const, 'healthcheck-protocol', 'HTTP'),
      port: pick('healthcheck-port') ?? 'traffic-port',
      intervalSeconds: interval,
      timeoutSeconds: timeout,
      healthyThreshold: int(pick('healthy-threshold-count'), 'healthy-threshold-count', 2, 2, 10),
      unhealthyThreshold: int(pick('unhealthy-threshold-count'), 'unhealthy-threshold-count', 2, 2, 10),
      successCodes,
    },
  };
}

/** The explicit group of an Ingress (group.name), validated; undefined for an implicit group. */
export function groupName(ing: KubeObject): string | undefined {
  const name = get(ing, 'group.name');
  if (name === undefined) return undefined;
  if (!/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(name) || name.length > 63) {
    throw new BuildError(`failed to parse annotation ${PREFIX}group.name: ${JSON.stringify(name)} must be lowercase alphanumerics, '-' or '.', at most 63 characters`);
  }
  return name;
}
