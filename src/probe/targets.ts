// What to probe, from the spec: every service with a probe, called through the public domain.
import { parseDuration } from '../platform-spec/duration.js';
import type { GrpcStatusName } from '../platform-spec/types.js';
import type { ResolvedSpec } from '../platform-spec/resolved.js';
import { status as Status } from '@grpc/grpc-js';

export interface ProbeTarget {
  service: string;
  /** host:port clients dial (the domain, on 443). */
  address: string;
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

/** Pure: the probe targets of a spec (none until the platform has a domain). */
export function probeTargets(spec: ResolvedSpec, port = 443): ProbeTarget[] {
  if (!spec.domain) return [];
  return spec.services.filter((s) => s.probe).map((s) => ({
    service: s.name,
    address: `${spec.domain!.name}:${port}`,
    grpcService: s.grpcService,
    method: s.probe!.method,
    request: s.probe!.request,
    intervalMs: parseDuration(s.probe!.interval),
    timeoutMs: parseDuration(s.probe!.timeout),
    expectedCode: statusCode(s.probe!.expectedStatus),
    redialEvery: s.probe!.redialEvery,
  }));
}
