// What ELBv2 and EKS would refuse, caught before any AWS call: the gRPC success-code grammar,
// health-check ranges and their order, whole seconds where AWS takes seconds, ALB path-pattern
// length, node group architecture, and Kubernetes versions in EKS's calendar. Runs on a document
// the schema accepted; every rule reports at the node it is about.
import type { Diagnostic } from './diagnostics.js';
import type { IngressSpec, PlatformSpec } from './types.js';
import type { ResolvedCluster, ResolvedService, ResolvedSpec } from './resolved.js';
import { parseDuration } from './duration.js';
import { eksSupport, standardVersions } from './eks-versions.js';
import { amiTypeFor } from './instance-architecture.js';
import { findProtoService, grpcRoutePath } from './protos.js';
import type { Locate } from './validate.js';

/**
 * ELBv2 Matcher.GrpcCode: "values between 0 and 99 … multiple values (for example, "0,1") or a
 * range of values (for example, "0-5")", https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_Matcher.html
 */
export const GRPC_CODE_MAX = 99;
/** CreateTargetGroup HealthCheckIntervalSeconds "The range is 5-300", HealthCheckTimeoutSeconds "The range is 2–120 seconds". */
export const HEALTH_CHECK_INTERVAL_SECONDS = { min: 5, max: 300 };
export const HEALTH_CHECK_TIMEOUT_SECONDS = { min: 2, max: 120 };
/**
 * What the load balancer controller sends when the spec leaves one out (annotations
 * healthcheck-interval-seconds / healthcheck-timeout-seconds default 15 / 5, shared/reference/alb-grpc.md §2).
 */
export const LBC_DEFAULT_INTERVAL_SECONDS = 15;
export const LBC_DEFAULT_TIMEOUT_SECONDS = 5;
/**
 * PathPatternConfig Values: "The maximum size of each string is 128 characters",
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-elasticloadbalancingv2-listenerrule-pathpatternconfig.html
 */
export const ALB_PATH_PATTERN_MAX = 128;

type Report = (severity: Diagnostic['severity'], code: string, path: string, summary: string, detail?: string) => void;

export interface AwsLimitOptions {
  protosDir: string;
  /** The day the EKS calendar is read for (default: now). */
  today?: Date;
  /** The document as written, for the messages that say whether a value was set or is the default. */
  written: PlatformSpec;
}

export function awsLimitChecks(spec: ResolvedSpec, file: string, locate: Locate, options: AwsLimitOptions): Diagnostic[] {
  const out: Diagnostic[] = [];
  const report: Report = (severity, code, path, summary, detail) =>
    out.push({ severity, code, summary, path, file, ...locate(path), ...(detail ? { detail } : {}) });
  if (spec.ingress.healthCheck) checkHealthCheck(spec.ingress.healthCheck, report);
  spec.services.forEach((svc, i) => checkPathLength(svc, `/services/${i}`, options.protosDir, report));
  if (spec.cluster) {
    checkKubernetesVersion(spec.cluster, options.written.cluster?.upgradePolicy !== undefined, options.today ?? new Date(), report);
    checkNodeGroupArchitectures(spec.cluster, report);
  }
  return out;
}

/** A gRPC matcher: one code, one range "a-b", or a comma list of codes, each 0–99. Returns the problem or undefined. */
export function grpcSuccessCodesProblem(text: string): string | undefined {
  const inRange = (n: number) => n >= 0 && n <= GRPC_CODE_MAX;
  const range = /^([0-9]+)-([0-9]+)$/.exec(text);
  if (range) {
    const [lo, hi] = [Number(range[1]), Number(range[2])];
    if (!inRange(lo) || !inRange(hi)) return `gRPC success codes are 0–${GRPC_CODE_MAX}; "${text}" is outside that range`;
    if (lo > hi) return `range "${text}" runs backwards; write "${hi}-${lo}"`;
    return undefined;
  }
  if (!/^[0-9]+(,[0-9]+)*$/.test(text)) return `"${text}" is not a gRPC matcher: use one code ("0"), a range ("0-5") or a list ("0,12")`;
  const bad = text.split(',').filter((c) => !inRange(Number(c)));
  return bad.length ? `gRPC success codes are 0–${GRPC_CODE_MAX}; ${bad.join(', ')} ${bad.length > 1 ? 'are' : 'is'} not` : undefined;
}

function checkHealthCheck(hc: NonNullable<IngressSpec['healthCheck']>, report: Report): void {
  const base = '/ingress/healthCheck';
  if (hc.successCodes !== undefined) {
    const problem = grpcSuccessCodesProblem(hc.successCodes);
    if (problem) report('error', 'SPEC_GRPC_SUCCESS_CODES', `${base}/successCodes`, problem, 'ALB gRPC health checks match grpc-status codes 0–99 (HTTP codes such as 200 do not apply)');
  }
  const seconds = (key: 'interval' | 'timeout', limits: { min: number; max: number }): number | undefined => {
    const text = hc[key];
    if (text === undefined) return undefined;
    let ms: number;
    try {
      ms = parseDuration(text);
    } catch (err) {
      report('error', 'SPEC_DURATION', `${base}/${key}`, (err as Error).message);
      return undefined;
    }
    // The ALB takes whole seconds (HealthCheck*Seconds are integers): rounding would silently change the setting.
    if (ms % 1000 !== 0) {
      report('error', 'SPEC_WHOLE_SECONDS', `${base}/${key}`, `health-check ${key} ${text} is not a whole number of seconds; the ALB takes seconds`);
      return undefined;
    }
    const s = ms / 1000;
    if (s < limits.min || s > limits.max) {
      report('error', 'SPEC_HEALTH_CHECK_RANGE', `${base}/${key}`, `health-check ${key} must be ${limits.min}–${limits.max} s, not ${text}`);
      return undefined;
    }
    return s;
  };
  const interval = seconds('interval', HEALTH_CHECK_INTERVAL_SECONDS);
  const timeout = seconds('timeout', HEALTH_CHECK_TIMEOUT_SECONDS);
  if ((hc.interval !== undefined && interval === undefined) || (hc.timeout !== undefined && timeout === undefined)) return;
  const i = interval ?? LBC_DEFAULT_INTERVAL_SECONDS;
  const t = timeout ?? LBC_DEFAULT_TIMEOUT_SECONDS;
  // ELBv2 answers ValidationError "Health check interval must be greater than the timeout."
  if (t >= i) {
    const at = hc.timeout !== undefined ? `${base}/timeout` : `${base}/interval`;
    report('error', 'SPEC_HEALTH_CHECK_TIMEOUT', at, `health-check timeout (${t} s${hc.timeout === undefined ? ', the default' : ''}) must be shorter than its interval (${i} s${hc.interval === undefined ? ', the default' : ''})`);
  }
}

function checkPathLength(svc: ResolvedService, path: string, protosDir: string, report: Report): void {
  const info = findProtoService(protosDir, svc.grpcService);
  if (!info) return; // reported by the proto rule
  // The controller turns the Prefix path /<package>.<Service>/ into "/<package>.<Service>" and
  // "/<package>.<Service>/*"; the longer one must fit.
  const longest = `${grpcRoutePath(info).replace(/\/+$/, '')}/*`;
  if (longest.length > ALB_PATH_PATTERN_MAX) {
    report('error', 'SPEC_ALB_PATH_LENGTH', `${path}/grpcService`,
      `the ALB path pattern ${longest.slice(0, 40)}… is ${longest.length} characters; an ALB path pattern holds at most ${ALB_PATH_PATTERN_MAX}`,
      'the path comes from the proto package and service name: shorten them');
  }
}

function checkNodeGroupArchitectures(cluster: ResolvedCluster, report: Report): void {
  cluster.nodeGroups.forEach((ng, i) => {
    const ami = amiTypeFor(ng.instanceTypes);
    if ('mixed' in ami) {
      report('error', 'SPEC_MIXED_ARCHITECTURES', `/cluster/nodeGroups/${i}/instanceTypes`,
        `node group "${ng.name}" mixes x86_64 (${ami.mixed.x86_64.join(', ')}) and arm64 (${ami.mixed.arm64.join(', ')}) instance types; one node group runs one AMI type`,
        'split them into two node groups');
    }
  });
}

function checkKubernetesVersion(cluster: ResolvedCluster, policyWritten: boolean, today: Date, report: Report): void {
  const support = eksSupport(cluster.version, today);
  const offered = standardVersions(today).join(', ');
  if (support.status === 'unavailable') {
    report('error', 'SPEC_K8S_VERSION', '/cluster/version', `${support.reason}; EKS would refuse the cluster`, `versions in standard support today: ${offered}`);
    return;
  }
  if (support.status !== 'extended') return;
  if (cluster.upgradePolicy === 'STANDARD') {
    // STANDARD means "upgrade me automatically at the end of standard support", which for this
    // version has already passed: EKS refuses to turn extended support off for a cluster in it
    // ("You can only disable extended support for clusters on standard support",
    // https://docs.aws.amazon.com/eks/latest/userguide/disable-extended-support.html), and a new
    // cluster would be due for an unasked-for upgrade on day one.
    report('error', 'SPEC_K8S_VERSION', '/cluster/version',
      `Kubernetes ${cluster.version} left EKS standard support on ${support.dates.endOfStandard}; with upgradePolicy STANDARD${policyWritten ? '' : ' (the default)'} EKS would not keep it`,
      `move to a version in standard support (${offered}), or set cluster.upgradePolicy: EXTENDED to pay for extended support until ${support.dates.endOfExtended}`);
    return;
  }
  report('warning', 'SPEC_K8S_EXTENDED_SUPPORT', '/cluster/version',
    `Kubernetes ${cluster.version} is in EKS extended support (extra cost per cluster hour) until ${support.dates.endOfExtended}`,
    `versions in standard support today: ${offered}`);
}
