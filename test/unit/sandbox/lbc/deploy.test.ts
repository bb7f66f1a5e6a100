// Deploying a stack converges ELBv2 on the model, is a no-op when nothing changed, repairs a
// rule deleted behind its back, prunes what the model dropped, and refuses quota breaches
// before touching anything.
import t from 'tap';
import { ScaledClock } from '../../../../src/sandbox/clock.js';
import { createElbv2Service } from '../../../../src/sandbox/aws/services/elbv2/index.js';
import { deleteStack, deployStack } from '../../../../src/sandbox/controllers/lbc/deploy.js';
import type { StackModel, TargetGroupModel } from '../../../../src/sandbox/controllers/lbc/model.js';

const REGION = 'ap-northeast-1';
const CERT = 'arn:aws:acm:ap-northeast-1:123456789012:certificate/abc';

function tg(svc: string): TargetGroupModel {
  return {
    resourceId: `default/demo-${svc}:50051`, name: `k8s-default-${svc}-0123456789`, port: 50051, targets: [{ ip: '10.0.0.1', port: 50051 }],
    targetType: 'ip', backendProtocol: 'HTTP', protocolVersion: 'GRPC',
    healthCheck: { path: '/AWS.ALB/healthcheck', protocol: 'HTTP', port: 'traffic-port', intervalSeconds: 15, timeoutSeconds: 5, healthyThreshold: 2, unhealthyThreshold: 2, successCodes: '12' },
  };
}

function stack(services: string[], protocol: 'HTTP' | 'HTTPS' = 'HTTPS'): StackModel {
  const tags = { 'elbv2.k8s.aws/cluster': 'demo', 'ingress.k8s.aws/stack': 'demo' };
  return {
    stackId: 'demo',
    tags,
    loadBalancer: { name: 'k8s-demo-0123456789', scheme: 'internet-facing', ipAddressType: 'ipv4', subnets: ['subnet-a', 'subnet-b'], tags: { ...tags, 'ingress.k8s.aws/resource': 'LoadBalancer' } },
    listeners: [{
      port: 443, protocol, certificateArns: protocol === 'HTTPS' ? [CERT] : [], sslPolicy: protocol === 'HTTPS' ? 'ELBSecurityPolicy-2016-08' : undefined,
      rules: services.map((s, i) => ({ priority: i + 1, pathValues: [`/${s}.Svc`, `/${s}.Svc/*`], hosts: [], targetGroup: `default/demo-${s}:50051` })),
    }],
    targetGroups: services.map(tg),
  };
}

t.test('deploy, no-op, repair, prune, refuse, delete', async (t) => {
  const elb = createElbv2Service({ clock: new ScaledClock(0), accountId: '123456789012' });
  const call = (op: string, input: Record<string, unknown>) => elb.invoke(op, input, REGION);
  const target = { clusterName: 'demo', vpcId: 'vpc-standalone' };
  const state = elb.state(REGION);
  const rules = () => [...state.rules.values()].map((r) => r.conditions[0]!.PathPatternConfig.Values[0]).sort();

  const out = await deployStack(call, target, stack(['a', 'b']));
  t.match(out.dnsName, /^k8s-demo-0123456789-\d+\.ap-northeast-1\.elb\.amazonaws\.com$/);
  t.same(rules(), ['/a.Svc', '/b.Svc']);
  t.equal(state.targetGroups.size, 2);
  t.same([...state.listeners.values()].map((l) => [l.protocol, l.certificates[0]?.CertificateArn]), [['HTTPS', CERT]]);

  const v = state.version;
  await deployStack(call, target, stack(['a', 'b']));
  t.equal(state.version, v, 'a second deploy of the same model changes nothing');

  const victim = [...state.rules.values()].find((r) => r.priority === 1)!;
  await call('DeleteRule', { RuleArn: victim.arn });
  t.same(rules(), ['/b.Svc']);
  await deployStack(call, target, stack(['a', 'b']));
  t.same(rules(), ['/a.Svc', '/b.Svc'], 'the deleted rule is back');

  await deployStack(call, target, stack(['b']));
  t.same(rules(), ['/b.Svc'], 'a dropped path loses its rule');
  t.equal(state.targetGroups.size, 1, 'and its target group');

  const before = state.version;
  const many = Array.from({ length: 101 }, (_, i) => `s${i}`);
  await t.rejects(deployStack(call, target, stack(many)), { name: 'DeployError', code: 'TooManyRules' });
  await t.rejects(deployStack(call, target, stack(['b'], 'HTTP')), { name: 'DeployError', code: 'UnsupportedProtocol' });
  t.equal(state.version, before, 'refused deploys wrote nothing');

  await deleteStack(call, 'demo', 'demo');
  t.equal(state.loadBalancers.size, 0);
  t.equal(state.targetGroups.size, 0);
});
