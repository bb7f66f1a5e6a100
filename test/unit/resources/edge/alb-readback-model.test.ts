// ALB-level drift and readiness from what ELBv2 reports.
import t from 'tap';
import { albReady, albStateFromLive, diffAlb, type AlbDesired, type AlbLive, type AlbState } from '../../../../src/resources/edge/alb-readback-model.js';
import { latestWarning } from '../../../../src/resources/edge/alb-controller-events.js';

const CERT = 'arn:aws:acm:ap-northeast-1:123456789012:certificate/abc';
const desired: AlbDesired = {
  cluster: 'demo', group: 'demo', scheme: 'internet-facing', certificateArn: CERT, listener: { protocol: 'HTTPS', port: 443 },
  rules: [
    { paths: ['/a.A', '/a.A/*'], backend: 'default/demo-a:50051' },
    { paths: ['/b.B', '/b.B/*'], backend: 'default/demo-b:50051' },
  ],
  healthCheck: { path: '/AWS.ALB/healthcheck', successCodes: '12' },
  ingresses: [{ namespace: 'default', name: 'demo' }],
};

function live(over: { rules?: any[]; cert?: string; pv?: string; health?: string[]; state?: string } = {}): AlbLive {
  const tg = (s: string) => ({ TargetGroupArn: `arn:tg/${s}`, ProtocolVersion: over.pv ?? 'GRPC', HealthCheckPath: '/AWS.ALB/healthcheck', Matcher: { GrpcCode: '12' } });
  const rule = (s: string, p: number) => ({ Priority: String(p), Conditions: [{ Field: 'path-pattern', PathPatternConfig: { Values: [`/${s}.${s.toUpperCase()}`, `/${s}.${s.toUpperCase()}/*`] } }], Actions: [{ Type: 'forward', TargetGroupArn: `arn:tg/${s}` }] });
  return {
    loadBalancer: { Scheme: 'internet-facing', State: { Code: over.state ?? 'active' } },
    listeners: [{ ListenerArn: 'l1', Protocol: 'HTTPS', Port: 443, Certificates: [{ CertificateArn: over.cert ?? CERT }] }],
    rules: new Map([['l1', [...(over.rules ?? [rule('a', 1), rule('b', 2)]), { IsDefault: true, Priority: 'default', Actions: [{ Type: 'fixed-response' }] }]]]),
    targetGroups: [tg('a'), tg('b')],
    targetGroupTags: new Map([['arn:tg/a', { 'ingress.k8s.aws/resource': 'default/demo-a:50051' }], ['arn:tg/b', { 'ingress.k8s.aws/resource': 'default/demo-b:50051' }]]),
    health: new Map([['arn:tg/a', over.health ?? ['healthy']], ['arn:tg/b', ['healthy']]]),
  };
}

const state = (l: AlbLive): AlbState => albStateFromLive(l, desired.listener);

t.test('drift', async (t) => {
  t.same(diffAlb(desired, state(live())).fields, [], 'in sync');
  const ruleB = live().rules.get('l1')![1];
  t.same(diffAlb(desired, state(live({ rules: [ruleB] }))).fields, [{ path: 'rules[/a.A /a.A/*]', old: null, new: 'default/demo-a:50051' }], 'a rule deleted on the ALB');
  const elsewhere = { ...ruleB, Conditions: [{ Field: 'path-pattern', Values: ['/a.A', '/a.A/*'] }] };
  t.same(diffAlb(desired, state(live({ rules: [elsewhere, ruleB] }))).fields,
    [{ path: 'rules[/a.A /a.A/*]', old: 'default/demo-b:50051', new: 'default/demo-a:50051' }], 'a rule pointing elsewhere');
  t.same(diffAlb(desired, state(live({ cert: 'arn:other' }))).fields,
    [{ path: 'listener[HTTPS:443].certificate', old: 'arn:other', new: CERT }], 'a listener without the certificate');
  t.same(diffAlb(desired, state(live({ pv: 'HTTP1' }))).fields.map((f) => f.path),
    ['targetGroups[default/demo-a:50051].protocolVersion', 'targetGroups[default/demo-b:50051].protocolVersion'], 'target groups not GRPC');
  const extra = { ...ruleB, Conditions: [{ Field: 'path-pattern', Values: ['/x'] }] };
  t.same(diffAlb(desired, state(live({ rules: [...live().rules.get('l1')!.slice(0, 2), extra] }))).fields,
    [{ path: 'rules[/x]', old: 'default/demo-b:50051', new: null }], 'a rule nobody asked for');
  t.same(diffAlb({ ...desired, certificateArn: { $ref: 'edge/certificate', output: 'arn' } }, state(live({ cert: 'arn:other' }))).fields, [],
    'an unresolved certificate is not compared');
});

t.test('readiness', async (t) => {
  t.equal(albReady(state(live())), true);
  t.same(albReady(state(live({ state: 'provisioning' }))), { waiting: 'ALB provisioning' });
  t.same(albReady(state(live({ health: ['healthy', 'initial'] }))), { waiting: '2/3 targets healthy' });
  t.match(albReady({ ...state(live({ rules: [] })), expected: desired }), { waiting: /not converged yet \(2 differences/ }, 'waits for the controller to match what was asked');
  t.same(albReady({ ...state(live()), targetGroups: [] }), { waiting: 'no targets registered yet' });
  t.same(albReady(state(live({ state: 'failed' }))), { failed: 'ALB state failed' });
  t.same(albReady(state({ ...live(), health: undefined })), { waiting: 'target health not read yet' }, 'health skipped by the plan-time read');
});

t.test('the controller\'s complaint', async (t) => {
  const ing = [{ namespace: 'default', name: 'demo' }];
  const ev = (type: string, reason: string, at: string, name = 'demo') => ({ type, reason, message: `${reason} happened`, lastTimestamp: at, involvedObject: { kind: 'Ingress', name, namespace: 'default' } });
  t.equal(latestWarning([ev('Warning', 'FailedBuildModel', '2026-01-01T00:00:05Z')], ing), 'FailedBuildModel: FailedBuildModel happened');
  t.equal(latestWarning([ev('Warning', 'FailedDeployModel', '2026-01-01T00:00:05Z'), ev('Normal', 'SuccessfullyReconciled', '2026-01-01T00:00:09Z')], ing), undefined,
    'a later success supersedes it');
  t.equal(latestWarning([ev('Normal', 'SuccessfullyReconciled', '2026-01-01T00:00:01Z'), ev('Warning', 'FailedDeployModel', '2026-01-01T00:00:05Z')], ing),
    'FailedDeployModel: FailedDeployModel happened', 'a failure after a success is current');
  t.equal(latestWarning([ev('Warning', 'FailedBuildModel', '2026-01-01T00:00:05Z', 'other')], ing), undefined, 'other Ingresses are not ours');
  const s = { ...state(live({ rules: [] })), expected: desired, controllerWarning: 'FailedDeployModel: TooManyRules: …' };
  t.match(albReady(s), { waiting: /the controller reports FailedDeployModel: TooManyRules/ }, 'readiness passes it on');
});
