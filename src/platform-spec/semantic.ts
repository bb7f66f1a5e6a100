// Rules the schema cannot express: CIDR arithmetic, zones, uniqueness, the protos. Runs only on a
// document the schema accepted; every rule reports at the node it is about.
import type { Diagnostic } from './diagnostics.js';
import type { NetworkSpec, SubnetSpec } from './types.js';
import type { ResolvedCluster, ResolvedService, ResolvedSpec } from './resolved.js';
import { cidrContains, cidrOverlaps, parseCidr, type Cidr } from './cidr.js';
import { parseDuration } from './duration.js';
import { findProtoService, listProtoServices } from './protos.js';
import type { Locate } from './validate.js';

export function semanticChecks(spec: ResolvedSpec, file: string, locate: Locate, protosDir: string): Diagnostic[] {
  const out: Diagnostic[] = [];
  const report = (code: string, path: string, summary: string, detail?: string) =>
    out.push({ severity: 'error', code, summary, path, file, ...locate(path), ...(detail ? { detail } : {}) });

  if (spec.cluster && !spec.network) report('SPEC_LAYER', '/cluster', 'a cluster needs a network: add a network section');
  if (spec.services.length > 0 && !spec.cluster) report('SPEC_LAYER', '/services', 'services need a cluster: add a cluster section');
  if (spec.domain && spec.services.length === 0) report('SPEC_LAYER', '/domain', 'a domain routes to services: add services or remove the domain');
  if (spec.network) checkNetwork(spec.network, spec.region, report);
  if (spec.cluster) checkCluster(spec.cluster, report);
  checkServices(spec.services, report, protosDir);
  checkDomain(spec, report);
  for (const key of ['pollInterval', 'resyncInterval'] as const) {
    tryDuration(spec.reconcile[key], `/reconcile/${key}`, report);
  }
  return out;
}

type Report = (code: string, path: string, summary: string, detail?: string) => void;

function tryDuration(v: string, path: string, report: Report): number | undefined {
  try {
    return parseDuration(v);
  } catch (err) {
    report('SPEC_DURATION', path, (err as Error).message);
    return undefined;
  }
}

function checkNetwork(net: NetworkSpec, region: string, report: Report): void {
  let vpc: Cidr | undefined;
  if ('cidr' in net.vpc && net.vpc.cidr !== undefined) {
    const parsed = parseCidr(net.vpc.cidr);
    if (typeof parsed === 'string') report('SPEC_CIDR', '/network/vpc/cidr', parsed);
    else if (parsed.prefix < 16 || parsed.prefix > 28) report('SPEC_CIDR', '/network/vpc/cidr', `a VPC CIDR block must be between /16 and /28, not /${parsed.prefix}`);
    else vpc = parsed;
  }
  const existingVpc = 'id' in net.vpc && net.vpc.id !== undefined;
  const all: { s: SubnetSpec; path: string; cidr?: Cidr }[] = [];
  const names = new Map<string, string>();
  for (const tier of ['public', 'private'] as const) {
    net.subnets[tier].forEach((s, i) => {
      const path = `/network/subnets/${tier}/${i}`;
      if (names.has(s.name)) report('SPEC_DUPLICATE', `${path}/name`, `subnet name "${s.name}" is already used at ${names.get(s.name)}`);
      names.set(s.name, path);
      if (!s.zone.startsWith(region)) report('SPEC_ZONE', `${path}/zone`, `zone ${s.zone} is not in region ${region}`);
      if (existingVpc && s.cidr !== undefined) report('SPEC_EXISTING_VPC', `${path}/cidr`, 'with an existing VPC (network.vpc.id), name existing subnets by id instead of cidr');
      if (s.cidr === undefined) return void all.push({ s, path });
      const parsed = parseCidr(s.cidr);
      if (typeof parsed === 'string') return void report('SPEC_CIDR', `${path}/cidr`, parsed);
      if (parsed.prefix < 16 || parsed.prefix > 28) return void report('SPEC_CIDR', `${path}/cidr`, `a subnet CIDR block must be between /16 and /28, not /${parsed.prefix}`);
      if (vpc && !cidrContains(vpc, parsed)) report('SPEC_CIDR_OUTSIDE_VPC', `${path}/cidr`, `subnet ${s.name} (${s.cidr}) is not inside the VPC's ${'cidr' in net.vpc ? net.vpc.cidr : ''}`);
      const clash = all.find((o) => o.cidr && cidrOverlaps(o.cidr, parsed));
      if (clash) report('SPEC_CIDR_OVERLAP', `${path}/cidr`, `subnet ${s.name} (${s.cidr}) overlaps subnet ${clash.s.name} (${clash.s.cidr})`);
      all.push({ s, path, cidr: parsed });
    });
    const zones = new Set(net.subnets[tier].map((s) => s.zone));
    if (zones.size < 2) {
      report('SPEC_ZONES', `/network/subnets/${tier}`, `${tier} subnets span ${zones.size} availability zone; EKS and the ALB need at least two`);
    }
  }
  if (net.natGateways === 'perZone') {
    const publicZones = new Set(net.subnets.public.map((s) => s.zone));
    net.subnets.private.forEach((s, i) => {
      if (!publicZones.has(s.zone)) report('SPEC_NAT_ZONE', `/network/subnets/private/${i}/zone`, `natGateways: perZone needs a public subnet in ${s.zone}`);
    });
  }
}

function checkCluster(cluster: ResolvedCluster, report: Report): void {
  const names = new Set<string>();
  cluster.nodeGroups.forEach((ng, i) => {
    const path = `/cluster/nodeGroups/${i}`;
    if (names.has(ng.name)) report('SPEC_DUPLICATE', `${path}/name`, `node group "${ng.name}" is declared twice`);
    names.add(ng.name);
    const { min, desired, max } = ng.scaling;
    if (!(min <= desired && desired <= max)) report('SPEC_SCALING', `${path}/scaling`, `scaling must satisfy min ≤ desired ≤ max (got ${min} ≤ ${desired} ≤ ${max})`);
  });
}

function checkServices(services: ResolvedService[], report: Report, protosDir: string): void {
  const names = new Map<string, number>();
  const grpc = new Map<string, number>();
  const known = listProtoServices(protosDir);
  services.forEach((svc, i) => {
    const path = `/services/${i}`;
    if (names.has(svc.name)) report('SPEC_DUPLICATE_SERVICE', `${path}/name`, `service "${svc.name}" is already declared at /services/${names.get(svc.name)}`);
    names.set(svc.name, i);
    if (grpc.has(svc.grpcService)) {
      report('SPEC_DUPLICATE_GRPC_SERVICE', `${path}/grpcService`, `${svc.grpcService} is already served by /services/${grpc.get(svc.grpcService)}: one ALB path cannot route to two services`);
    }
    grpc.set(svc.grpcService, i);
    const info = findProtoService(protosDir, svc.grpcService);
    if (!info) {
      const hint = [...known.keys()].filter((k) => k.toLowerCase().includes(svc.grpcService.split('.').pop()!.toLowerCase()));
      report('SPEC_UNKNOWN_PROTO_SERVICE', `${path}/grpcService`, `no service ${svc.grpcService} is declared in the .proto files under protos/`,
        hint.length ? `did you mean ${hint.join(' or ')}?` : `known services: ${[...known.keys()].join(', ') || '(none)'}`);
    }
    if (svc.probe) {
      const interval = tryDuration(svc.probe.interval, `${path}/probe/interval`, report);
      const timeout = tryDuration(svc.probe.timeout, `${path}/probe/timeout`, report);
      if (interval !== undefined && timeout !== undefined && timeout >= interval) {
        report('SPEC_PROBE_TIMEOUT', `${path}/probe/timeout`, `probe timeout (${svc.probe.timeout}) must be shorter than its interval (${svc.probe.interval})`);
      }
      if (info) {
        const method = info.methods.find((m) => m.name === svc.probe!.method);
        if (!method) {
          report('SPEC_UNKNOWN_PROBE_METHOD', `${path}/probe/method`, `${svc.grpcService} has no method ${svc.probe.method}`, `methods: ${info.methods.map((m) => m.name).join(', ')}`);
        } else if (method.requestStream || method.responseStream) {
          report('SPEC_PROBE_STREAMING', `${path}/probe/method`, `probe method ${svc.probe.method} is streaming; probes call unary methods`);
        }
      }
    }
  });
}

function checkDomain(spec: ResolvedSpec, report: Report): void {
  const d = spec.domain;
  if (!d) return;
  const zone = 'name' in d.hostedZone ? d.hostedZone.name : undefined;
  if (zone && d.name !== zone && !d.name.endsWith(`.${zone}`)) {
    report('SPEC_DOMAIN_ZONE', '/domain/hostedZone/name', `domain ${d.name} is not inside hosted zone ${zone}`);
  }
}
