// Fault injection shared by every emulated service: throttle the next N calls or a fraction of
// calls, answer 5xx, add latency, or drop the connection — each optionally limited to a service
// and operation. Tests drive it directly or over HTTP (POST /_sandbox/faults).

/**
 * drop: connection closed before the call is processed; drop-response: processed, then the answer
 * is lost; access-denied: refused as an explicit deny (an SCP or permission boundary) refuses it.
 */
export type FaultKind = 'throttle' | 'server-error' | 'latency' | 'drop' | 'drop-response' | 'access-denied';

/** IAM action prefixes of the emulated services (the Service Authorization Reference's prefixes). */
const ACTION_PREFIX: Record<string, string> = { elbv2: 'elasticloadbalancing' };

/**
 * The error each service answers a denied call with. EC2: UnauthorizedOperation, 403
 * (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/errors-overview.html); query-protocol
 * IAM, STS, ELBv2 and REST-XML Route 53: AccessDenied, 403; JSON services (EKS, ACM, ECR):
 * AccessDeniedException (https://docs.aws.amazon.com/eks/latest/APIReference/CommonErrors.html,
 * https://docs.aws.amazon.com/AmazonECR/latest/APIReference/CommonErrors.html).
 * Message as IAM words it (https://docs.aws.amazon.com/IAM/latest/UserGuide/troubleshoot_access-denied.html):
 * with a policy denial, "User: <arn> is not authorized to perform: <action> on resource: <arn>
 * because no identity-based policy allows the <action> action" (or "with an explicit deny in an
 * identity-based policy").
 */
export function accessDenied(service: string, operation: string, denial?: PolicyDenial): { code: string; status: number; message: string } {
  const code = service === 'ec2' ? 'UnauthorizedOperation' : service === 'eks' || service === 'acm' || service === 'ecr' ? 'AccessDeniedException' : 'AccessDenied';
  const action = `${ACTION_PREFIX[service] ?? service}:${operation}`;
  if (!denial) return { code, status: 403, message: `User: arn:aws:iam::000000000000:user/platformd is not authorized to perform: ${action} with an explicit deny in a service control policy` };
  const why = denial.explicit ? 'with an explicit deny in an identity-based policy' : `because no identity-based policy allows the ${denial.action} action`;
  const message = `User: ${denial.principalArn} is not authorized to perform: ${denial.action} on resource: ${denial.resource} ${why}`;
  // EC2 words it "You are not authorized to perform this operation." and appends the encoded
  // message that sts:DecodeAuthorizationMessage decodes.
  if (service === 'ec2') return { code, status: 403, message: `You are not authorized to perform this operation. ${message}. Encoded authorization failure message: ${denial.encoded ?? ''}` };
  return { code, status: 403, message };
}

/** A refusal by IAM policy evaluation: who, which action on which resource, and whether a Deny statement matched. */
export interface PolicyDenial {
  principalArn: string;
  action: string;
  resource: string;
  explicit: boolean;
  /** EC2 only: the encoded authorization failure message. */
  encoded?: string;
}

export interface FaultRule {
  kind: FaultKind;
  service?: string;
  operation?: string;
  /** Apply to the next `count` matching calls, then expire. */
  count?: number;
  /** Apply to this fraction (0..1) of matching calls, until removed. */
  fraction?: number;
  /** For latency: extra real milliseconds. */
  latencyMs?: number;
}

export class Faults {
  private rules: (FaultRule & { remaining?: number })[] = [];
  /** Deterministic pseudo-random source, so a failing run can be reproduced. */
  private seed = 42;

  add(rule: FaultRule): void {
    this.rules.push({ ...rule, remaining: rule.count });
  }

  clear(): void {
    this.rules = [];
  }

  private random(): number {
    // mulberry32
    let t = (this.seed += 0x6d2b79f5);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** The faults that fire for this call (latency and one failure at most). */
  pick(service: string, operation: string): { latencyMs: number; failure?: FaultKind } {
    let latencyMs = 0;
    let failure: FaultKind | undefined;
    for (const rule of this.rules) {
      if (rule.service && rule.service !== service) continue;
      if (rule.operation && rule.operation !== operation) continue;
      if (rule.remaining !== undefined && rule.remaining <= 0) continue;
      if (rule.fraction !== undefined && this.random() >= rule.fraction) continue;
      if (rule.remaining !== undefined) rule.remaining--;
      if (rule.kind === 'latency') latencyMs += rule.latencyMs ?? 0;
      else failure ??= rule.kind;
    }
    this.rules = this.rules.filter((r) => r.remaining === undefined || r.remaining > 0);
    return { latencyMs, failure };
  }
}
