// Once the controller has built what was asked, a readiness poll reads target health only, not
// every rule and target group again (issue 19: at 300 services those re-reads were most of an
// apply's CPU); ready is answered only after a full read has checked the configuration again.
import t from 'tap';
import type { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { albReadback } from '../../../../src/resources/edge/alb-readback.js';
import type { AlbDesired, AlbState } from '../../../../src/resources/edge/alb-readback-model.js';
import type { KindContext, Observed, Readiness } from '../../../../src/resources/kind.js';
import { HEALTH_READS_PER_POLL } from '../../../../src/resources/edge/alb-readback-read.js';

const SERVICES = 12;
const LB_ARN = 'arn:aws:elasticloadbalancing:ap-northeast-1:123456789012:loadbalancer/app/k8s-web/1';
const tgArn = (i: number) => `arn:aws:elasticloadbalancing:ap-northeast-1:123456789012:targetgroup/k8s-tg${i}/${i}`;
const backend = (i: number) => `apps/grpc-svc${i}:50051`;
const path = (i: number) => `/pkg.Svc${i}/*`;

const expected: AlbDesired = {
  cluster: 'c1',
  group: 'web',
  scheme: 'internet-facing',
  certificateArn: 'arn:aws:acm:ap-northeast-1:123456789012:certificate/c1',
  listener: { protocol: 'HTTPS', port: 443 },
  rules: Array.from({ length: SERVICES }, (_, i) => ({ paths: [path(i)], backend: backend(i) })),
  healthCheck: { path: '/grpc.health.v1.Health/Check', successCodes: '0' },
  ingresses: [{ namespace: 'apps', name: 'web' }],
};

/** ELBv2 as a readiness wait sees it: the test decides which groups are healthy, which exist, and where rule 0 forwards. */
function world() {
  const w = {
    healthy: new Set<number>(),
    gone: new Set<number>(),
    rule0Backend: 0,
    calls: [] as string[],
  };
  const send = async (command: { constructor: { name: string }; input: Record<string, unknown> }) => {
    const op = command.constructor.name.replace(/Command$/, '');
    w.calls.push(op);
    const groups = Array.from({ length: SERVICES }, (_, i) => i).filter((i) => !w.gone.has(i));
    switch (op) {
      case 'DescribeLoadBalancers': return { LoadBalancers: [{ LoadBalancerArn: LB_ARN, Scheme: 'internet-facing', State: { Code: 'active' }, DNSName: 'k8s-web.elb.example' }] };
      case 'DescribeListeners': return { Listeners: [{ ListenerArn: 'l1', Protocol: 'HTTPS', Port: 443, Certificates: [{ CertificateArn: expected.certificateArn }] }] };
      case 'DescribeRules': return {
        Rules: groups.map((i) => ({
          Priority: String(i + 1),
          Conditions: [{ Field: 'path-pattern', PathPatternConfig: { Values: [path(i)] } }],
          Actions: [{ Type: 'forward', TargetGroupArn: tgArn(i === 0 ? w.rule0Backend : i) }],
        })),
      };
      case 'DescribeTargetGroups': return { TargetGroups: groups.map((i) => ({ TargetGroupArn: tgArn(i), ProtocolVersion: 'GRPC', HealthCheckPath: expected.healthCheck.path, Matcher: { GrpcCode: '0' } })) };
      case 'DescribeTags': return { TagDescriptions: (command.input.ResourceArns as string[]).map((a) => ({ ResourceArn: a, Tags: [{ Key: 'ingress.k8s.aws/resource', Value: backend(Number(a.split('/').at(-1))) }] })) };
      case 'DescribeTargetHealth': {
        const i = Number((command.input.TargetGroupArn as string).split('/').at(-1));
        if (w.gone.has(i)) throw Object.assign(new Error(`Target groups '${tgArn(i)}' not found`), { name: 'TargetGroupNotFoundException', $metadata: { httpStatusCode: 400 } });
        const state = w.healthy.has(i) ? 'healthy' : 'initial';
        return { TargetHealthDescriptions: [{ TargetHealth: { State: state } }] };
      }
      default: throw new Error(`unexpected ${op}`);
    }
  };
  const ctx = { aws: { elbv2: { send } as unknown as ElasticLoadBalancingV2Client }, signal: new AbortController().signal, progress: () => {} } as unknown as KindContext;
  return { w, ctx };
}

/** The state create() leaves for the first poll: the ALB found, nothing read yet that converged. */
const first: Observed<AlbState> = {
  id: 'edge/alb/web', kind: 'elbv2/alb', physicalId: LB_ARN, owned: true, outputs: {},
  state: { scheme: 'internet-facing', lbState: 'provisioning', listeners: [], rules: [], targetGroups: [], healthRead: false, expected },
};

async function poll(ctx: KindContext, w: ReturnType<typeof world>['w'], observed: Observed<AlbState>) {
  const start = w.calls.length;
  const next = (await albReadback.refresh(ctx, observed))!;
  return { next, calls: w.calls.slice(start), ready: albReadback.ready(next) };
}

t.test('after one full read that converged, polls read target health only; the poll that finds every target healthy re-reads the configuration before ready', async (t) => {
  const { w, ctx } = world();
  let { next, calls, ready } = await poll(ctx, w, first);
  t.ok(calls.includes('DescribeRules') && calls.includes('DescribeTargetGroups'), 'the first poll reads the whole ALB');
  t.not(ready, true);
  let polls = 0;
  while (ready !== true && polls < 20) {
    polls++;
    for (let i = 0; i < polls * 4; i++) w.healthy.add(i);
    ({ next, calls, ready } = await poll(ctx, w, next));
    const configReads = calls.filter((c) => c === 'DescribeRules' || c === 'DescribeTargetGroups' || c === 'DescribeListeners');
    if (ready === true) {
      t.same(configReads.sort(), ['DescribeListeners', 'DescribeRules', 'DescribeTargetGroups'], `the ready poll (${polls}) read the configuration again`);
    } else {
      t.same(configReads, [], `poll ${polls} (${calls.join(', ')}) read no rule, listener or target group`);
      t.ok(calls.includes('DescribeTargetHealth'), `poll ${polls} read target health`);
      t.match(ready, { waiting: /targets healthy/ });
    }
  }
  t.equal(ready, true, 'ready once every target is healthy');
  t.equal(next.state.targetGroups.length, SERVICES);
  t.ok(next.state.targetGroups.every((g) => g.healthy === 1 && g.total === 1));
  t.equal(calls.slice(calls.indexOf('DescribeTargetGroups')).filter((c) => c === 'DescribeTargetHealth').length, 0, 'the verifying read re-reads no health this poll had read');
});

t.test('a configuration changed while targets came up is caught by the verifying read: not ready', async (t) => {
  const { w, ctx } = world();
  let { next } = await poll(ctx, w, first);
  ({ next } = await poll(ctx, w, next));
  t.notOk(next.state.healthRead && next.state.targetGroups.every((g) => g.healthy === g.total && g.total > 0));
  // The controller (or someone in the console) points rule 0 at another target group; then every target turns healthy.
  w.rule0Backend = 1;
  for (let i = 0; i < SERVICES; i++) w.healthy.add(i);
  let ready: Readiness = { waiting: 'not polled yet' };
  for (let i = 0; i < 5; i++) ({ next, ready } = await poll(ctx, w, next));
  t.match(ready, { waiting: /load balancer controller has not converged yet .*rules\[\/pkg\.Svc0\/\*\]/ }, 'the drift is reported, never ready');
  // Back to what was asked: ready again after a full read.
  w.rule0Backend = 0;
  for (let i = 0; i < 3 && ready !== true; i++) ({ next, ready } = await poll(ctx, w, next));
  t.equal(ready, true);
});

t.test('a target group gone between polls (replaced by the controller) makes that poll a full read, not an error', async (t) => {
  const { w, ctx } = world();
  let { next } = await poll(ctx, w, first);
  w.gone.add(5);
  const { next: after, calls, ready } = await poll(ctx, w, next);
  next = after;
  t.ok(calls.includes('DescribeTargetGroups'), `the poll fell back to a full read (${calls.join(', ')})`);
  t.ok(calls.filter((c) => c === 'DescribeTargetHealth').length <= HEALTH_READS_PER_POLL, 'and kept to one poll\'s budget of health reads');
  t.ok(next.state.targetGroups.filter((g) => g.healthRead).length >= HEALTH_READS_PER_POLL - 1, 'the health read before the fallback is kept');
  t.notOk(next.state.targetGroups.some((g) => g.arn === tgArn(5)), 'the gone group is no longer in the state');
  t.match(ready, { waiting: /./ }, 'still waiting: rule 5 has no target group of its own now');
});
