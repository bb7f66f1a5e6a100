// The ALB read-back finds the group's ALB among others by the controller's tags and reads it
// with the calls ELBv2 requires and no more; its drift and readiness follow the live ALB.
import t from 'tap';
import { CreateSubnetCommand, CreateVpcCommand } from '@aws-sdk/client-ec2';
import { startTestSandbox } from '../helpers/sandbox.js';
import type { Elbv2Service } from '../../src/sandbox/aws/services/elbv2/index.js';
import { deployStack } from '../../src/sandbox/controllers/lbc/deploy.js';
import type { StackModel, TargetGroupModel } from '../../src/sandbox/controllers/lbc/model.js';
import { albReadback } from '../../src/resources/edge/alb-readback.js';
import type { AlbDesired, AlbState } from '../../src/resources/edge/alb-readback-model.js';
import type { Desired, KindContext, Observed } from '../../src/resources/kind.js';
import { noKube } from '../../src/cloud/kube.js';

const CERT = 'arn:aws:acm:ap-northeast-1:123456789012:certificate/abc';

function stack(stackId: string, cluster: string, services: string[], subnets: string[]): StackModel {
  const tags = { 'elbv2.k8s.aws/cluster': cluster, 'ingress.k8s.aws/stack': stackId };
  const tg = (s: string): TargetGroupModel => ({
    resourceId: `default/${stackId}-${s}:50051`, name: `k8s-${stackId}-${s}`.slice(0, 32), port: 50051, targets: [{ ip: '10.0.0.1', port: 50051 }, { ip: '10.0.0.2', port: 50051 }],
    targetType: 'ip', backendProtocol: 'HTTP', protocolVersion: 'GRPC',
    healthCheck: { path: '/AWS.ALB/healthcheck', protocol: 'HTTP', port: 'traffic-port', intervalSeconds: 15, timeoutSeconds: 5, healthyThreshold: 2, unhealthyThreshold: 2, successCodes: '12' },
  });
  return {
    stackId, tags,
    loadBalancer: { name: `k8s-${stackId}-${cluster}`, scheme: 'internet-facing', ipAddressType: 'ipv4', subnets, tags: { ...tags, 'ingress.k8s.aws/resource': 'LoadBalancer' } },
    listeners: [{ port: 443, protocol: 'HTTPS', certificateArns: [CERT], sslPolicy: 'ELBSecurityPolicy-2016-08',
      rules: services.map((s, i) => ({ priority: i + 1, pathValues: [`/${s}.Svc`, `/${s}.Svc/*`], hosts: [], targetGroup: `default/${stackId}-${s}:50051` })) }],
    targetGroups: services.map(tg),
  };
}

function desired(group: string, services: string[]): Desired<AlbDesired> {
  return {
    id: `edge/alb/${group}`, kind: 'elbv2/alb', dependsOn: [],
    properties: {
      cluster: 'demo', group, scheme: 'internet-facing', certificateArn: CERT, listener: { protocol: 'HTTPS', port: 443 },
      rules: services.map((s) => ({ paths: [`/${s}.Svc`, `/${s}.Svc/*`], backend: `default/${group}-${s}:50051` })),
      healthCheck: { path: '/AWS.ALB/healthcheck', successCodes: '12' },
      ingresses: [{ namespace: 'default', name: group }],
    },
  };
}

/** A sandbox with a VPC of two subnets for the emulated controller's ALBs, and a kind context to read them with. */
async function albWorld(t: { teardown(fn: () => unknown): void }) {
  const sb = await startTestSandbox();
  t.teardown(sb.close);
  const elb = sb.aws.service<Elbv2Service>('elbv2');
  const call = (op: string, input: Record<string, unknown>) => elb.invoke(op, input, 'ap-northeast-1');
  // These tests are about reading ALBs back, not about ACM: every certificate counts as issued here.
  elb.hooks.certificateStatus = () => 'ISSUED';
  const vpcId = (await sb.clients.ec2.send(new CreateVpcCommand({ CidrBlock: '10.0.0.0/16' }))).Vpc!.VpcId!;
  const subnets: string[] = [];
  for (const [i, zone] of ['ap-northeast-1a', 'ap-northeast-1c'].entries()) {
    subnets.push((await sb.clients.ec2.send(new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: `10.0.${i}.0/24`, AvailabilityZone: zone }))).Subnet!.SubnetId!);
  }
  const ctx: KindContext = {
    platform: 'demo', region: 'ap-northeast-1', spec: {} as never, aws: sb.clients, kube: noKube, memo: (_k, read) => read(),
    signal: new AbortController().signal, progress: () => {},
  };
  return { sb, call, vpcId, subnets, ctx };
}

t.test('observe, drift, readiness', async (t) => {
  const { sb, call, vpcId, subnets, ctx } = await albWorld(t);
  await deployStack(call, { clusterName: 'demo', vpcId }, stack('demo-1', 'demo', ['a', 'b', 'c'], subnets));
  await deployStack(call, { clusterName: 'demo', vpcId }, stack('demo-2', 'demo', ['d'], subnets));
  // Someone else's ALBs in the same account: another cluster with the same group name, and 25 more.
  await deployStack(call, { clusterName: 'other', vpcId }, stack('demo-1', 'other', ['x'], subnets));
  for (let i = 0; i < 25; i++) await call('CreateLoadBalancer', { Name: `unrelated-${i}`, Subnets: subnets });

  const mark = sb.aws.callLog.mark();
  const d = [desired('demo-1', ['a', 'b', 'c']), desired('demo-2', ['d'])];
  const observed = await albReadback.observeAll(ctx, d);
  t.same(observed.map((o) => o.id), ['edge/alb/demo-1', 'edge/alb/demo-2'], 'ours only, not the other cluster\'s group of the same name');
  const calls = sb.aws.callLog.since(mark).map((c) => c.operation);
  const count = (op: string) => calls.filter((c) => c === op).length;
  t.equal(count('DescribeLoadBalancers'), 1, 'one page of load balancers');
  // 28 load balancers → 2 DescribeTags for discovery; 1 per ALB for its target groups (4 groups).
  t.equal(count('DescribeTags'), 2 + 2);
  t.equal(count('DescribeListeners'), 2, 'per ALB');
  t.equal(count('DescribeRules'), 2, 'per listener');
  t.equal(count('DescribeTargetGroups'), 2, 'per ALB');
  t.equal(count('DescribeTargetHealth'), 0, 'no target health for a plan (it would cost a call per target group)');
  t.equal(calls.length, 11, 'nothing else');

  const one = observed[0]!;
  t.match(one.outputs, { dnsName: /\.ap-northeast-1\.elb\.amazonaws\.com$/, canonicalHostedZoneId: 'Z14GRHDCWA56QT', arn: /loadbalancer\/app\// });
  t.same(albReadback.diff(d[0]!.properties, one).fields, [], 'in sync');
  t.same(albReadback.ready(one), { waiting: 'target health not read yet' }, 'readiness needs a refresh');
  const m2 = sb.aws.callLog.mark();
  const full = await albReadback.refresh(ctx, one);
  t.equal(sb.aws.callLog.since(m2).filter((c) => c.operation === 'DescribeTargetHealth').length, 3, 'refresh reads health, one call per target group (no batch form exists)');
  t.same(albReadback.ready(full!), true, 'active, all 6 targets healthy at time scale 0');

  // Throttling (ELBv2's 400 Throttling) is ridden out by the SDK's retries.
  sb.aws.faults.add({ kind: 'throttle', service: 'elbv2', operation: 'DescribeRules', count: 2 });
  const m3 = sb.aws.callLog.mark();
  t.equal((await albReadback.observeAll(ctx, d)).length, 2, 'observed despite throttling');
  t.same(sb.aws.callLog.since(m3).filter((c) => c.errorCode).map((c) => c.errorCode), ['Throttling', 'Throttling']);

  // A rule deleted behind the controller's back.
  const rules = await call('DescribeRules', { ListenerArn: (await call('DescribeListeners', { LoadBalancerArn: one.physicalId })).Listeners[0].ListenerArn });
  await call('DeleteRule', { RuleArn: rules.Rules[1].RuleArn });
  const again = await albReadback.refresh(ctx, { ...one, state: { ...one.state, expected: d[0]!.properties } });
  t.same(albReadback.diff(d[0]!.properties, again!).fields, [{ path: 'rules[/b.Svc /b.Svc/*]', old: null, new: 'default/demo-1-b:50051' }]);
  t.match(albReadback.ready(again!), { waiting: /not converged/ }, 'refresh keeps what was asked of the controller');
});

t.test('readiness polls after the ALB is built read target health only; the poll that finds it ready reads the whole ALB again', async (t) => {
  // Issue 19: every poll re-read and parsed all of the ALB's rules and target groups (a fifth of an
  // apply's CPU at 300 services). 25 services: target health takes three polls at 10 a poll.
  const { sb, call, vpcId, subnets, ctx } = await albWorld(t);
  const services = Array.from({ length: 25 }, (_, i) => `s${String(i).padStart(2, '0')}`);
  await deployStack(call, { clusterName: 'demo', vpcId }, stack('web', 'demo', services, subnets));
  const d = desired('web', services);
  const [found] = await albReadback.observeAll(ctx, [d]);
  // What create() hands the wait: the ALB as read, built as asked, with what was asked.
  let observed: Observed<AlbState> = { ...found!, state: { ...found!.state, expected: d.properties } };
  const shapes: string[] = [];
  const healthReads: number[] = [];
  for (let poll = 0; poll < 10 && albReadback.ready(observed) !== true; poll++) {
    const mark = sb.aws.callLog.mark();
    observed = (await albReadback.refresh(ctx, observed))!;
    const ops = sb.aws.callLog.since(mark).map((c) => c.operation);
    // F: the poll read the whole ALB (rules, target groups); H: its target health alone.
    shapes.push(ops.includes('DescribeRules') || ops.includes('DescribeTargetGroups') ? 'F' : 'H');
    healthReads.push(ops.filter((op) => op === 'DescribeTargetHealth').length);
  }
  t.equal(albReadback.ready(observed), true, 'ready: every target healthy at time scale 0');
  t.equal(shapes.join(''), 'HHF', 'two polls of target health alone, then the whole ALB once more before ready');
  t.same(healthReads, [10, 10, 5], '10 target groups a poll; the verifying read re-reads no health');
});
