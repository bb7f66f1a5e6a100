// The seam between the emulated ELBv2 state (sandbox/aws/services/elbv2) and the ALB data path
// (sandbox/dataplane/alb.ts): a read-only view of load balancers as they are *now*, so that a rule
// deleted through the API really stops routing.

export interface AlbRuleView {
  priority: number | 'default';
  /** Path patterns (ALB glob syntax: * and ?) the rule matches; empty = matches everything. */
  pathPatterns: string[];
  /** Forward target group ARN, or a fixed response. */
  action: { type: 'forward'; targetGroupArn: string } | { type: 'fixed-response'; statusCode: number; contentType?: string; body?: string };
}

export interface AlbTargetView {
  ip: string;
  port: number;
  healthy: boolean;
}

export interface AlbListenerView {
  port: number;
  protocol: 'HTTP' | 'HTTPS';
  certificateArns: string[];
  /** Rules sorted by priority, default rule last. */
  rules: AlbRuleView[];
}

export interface AlbView {
  arn: string;
  dnsName: string;
  canonicalHostedZoneId: string;
  scheme: 'internet-facing' | 'internal';
  state: string;
  listeners: AlbListenerView[];
  targetGroups: Map<string, { protocolVersion: string; targets: AlbTargetView[] }>;
}

export interface AlbViewSource {
  /** Every load balancer of the account/region right now. */
  loadBalancers(): AlbView[];
  /** Subscribe to any ELBv2 state change; returns unsubscribe. */
  onChange(listener: () => void): () => void;
}
