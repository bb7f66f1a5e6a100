// The emulated ELBv2 speaks awsQuery to the real SDK client: load balancer lifecycle, HTTPS
// listener, path-pattern rules, GRPC target groups, targets, tags and paging — and answers the
// errors ELBv2 answers, with the SDK's modeled exception names.
import t from 'tap';
import {
  AddTagsCommand, CreateListenerCommand, CreateLoadBalancerCommand, CreateRuleCommand, CreateTargetGroupCommand,
  DeleteLoadBalancerCommand, DeleteRuleCommand, DeleteTargetGroupCommand, DescribeListenersCommand,
  DescribeLoadBalancersCommand, DescribeRulesCommand, DescribeTagsCommand, DescribeTargetGroupsCommand,
  DescribeTargetHealthCommand, ModifyRuleCommand, RegisterTargetsCommand, DeregisterTargetsCommand,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { CreateSubnetCommand, CreateVpcCommand } from '@aws-sdk/client-ec2';
import { DescribeCertificateCommand, RequestCertificateCommand } from '@aws-sdk/client-acm';
import { ChangeResourceRecordSetsCommand, CreateHostedZoneCommand } from '@aws-sdk/client-route-53';
import { startTestSandbox, type TestSandbox } from '../helpers/sandbox.js';
import type { Elbv2Service } from '../../src/sandbox/aws/services/elbv2/index.js';

/** A VPC with two subnets in two zones, made through the emulated EC2. */
async function network(sb: TestSandbox): Promise<{ vpcId: string; subnets: string[] }> {
  const vpcId = (await sb.clients.ec2.send(new CreateVpcCommand({ CidrBlock: '10.0.0.0/16' }))).Vpc!.VpcId!;
  const subnets: string[] = [];
  for (const [i, zone] of ['ap-northeast-1a', 'ap-northeast-1c'].entries()) {
    subnets.push((await sb.clients.ec2.send(new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: `10.0.${i}.0/24`, AvailabilityZone: zone }))).Subnet!.SubnetId!);
  }
  return { vpcId, subnets };
}

/** An ACM certificate for svc.example.com: pending, then ISSUED once its validation CNAME exists. */
async function certificate(sb: TestSandbox): Promise<{ arn: string; validate: () => Promise<void> }> {
  const arn = (await sb.clients.acm.send(new RequestCertificateCommand({ DomainName: 'svc.example.com', ValidationMethod: 'DNS', IdempotencyToken: 'elbv2wire' }))).CertificateArn!;
  return {
    arn,
    validate: async () => {
      const zone = (await sb.clients.route53.send(new CreateHostedZoneCommand({ Name: 'example.com', CallerReference: 'elbv2-wire' }))).HostedZone!.Id!;
      const record = (await sb.clients.acm.send(new DescribeCertificateCommand({ CertificateArn: arn }))).Certificate!.DomainValidationOptions![0]!.ResourceRecord!;
      await sb.clients.route53.send(new ChangeResourceRecordSetsCommand({ HostedZoneId: zone, ChangeBatch: { Changes: [{ Action: 'UPSERT',
        ResourceRecordSet: { Name: record.Name, Type: 'CNAME', TTL: 300, ResourceRecords: [{ Value: record.Value }] } }] } }));
    },
  };
}

t.test('ELBv2 over the wire with the real SDK', async (t) => {
  const sb = await startTestSandbox();
  t.teardown(sb.close);
  const elb = sb.clients.elbv2;
  const { vpcId, subnets } = await network(sb);

  const lb = (await elb.send(new CreateLoadBalancerCommand({
    Name: 'k8s-demo-0123456789', Subnets: subnets, Scheme: 'internet-facing', Type: 'application',
    Tags: [{ Key: 'elbv2.k8s.aws/cluster', Value: 'demo' }],
  }))).LoadBalancers![0]!;
  t.match(lb.DNSName, /^k8s-demo-0123456789-\d+\.ap-northeast-1\.elb\.amazonaws\.com$/, 'DNS name shaped like ELB');
  t.equal(lb.CanonicalHostedZoneId, 'Z14GRHDCWA56QT', 'ap-northeast-1 ALB zone id');
  t.equal(lb.State?.Code, 'active', 'time scale 0: provisioning already over');
  t.equal(lb.AvailabilityZones?.length, 2);

  const again = await elb.send(new CreateLoadBalancerCommand({ Name: 'k8s-demo-0123456789', Subnets: [...subnets].reverse() }));
  t.equal(again.LoadBalancers![0]!.LoadBalancerArn, lb.LoadBalancerArn, 'identical create returns the same ALB');
  await t.rejects(elb.send(new CreateLoadBalancerCommand({ Name: 'k8s-demo-0123456789', Subnets: subnets, Scheme: 'internal' })),
    { name: 'DuplicateLoadBalancerNameException' });
  await t.rejects(elb.send(new CreateLoadBalancerCommand({ Name: 'ghost', Subnets: [subnets[0]!, 'subnet-0000000000000dead'] })),
    { name: 'SubnetNotFoundException' });
  await t.rejects(elb.send(new CreateLoadBalancerCommand({ Name: 'one-zone', Subnets: [subnets[0]!] })),
    { name: 'InvalidConfigurationRequestException' }, 'an ALB needs two zones');

  const tg = (await elb.send(new CreateTargetGroupCommand({
    Name: 'k8s-default-routegui-abc', Protocol: 'HTTP', ProtocolVersion: 'GRPC', Port: 50051, VpcId: vpcId, TargetType: 'ip',
    HealthCheckPath: '/grpc.health.v1.Health/Check', Matcher: { GrpcCode: '0' }, HealthCheckIntervalSeconds: 15, HealthyThresholdCount: 2,
  }))).TargetGroups![0]!;
  t.equal(tg.ProtocolVersion, 'GRPC');
  t.same(tg.Matcher, { GrpcCode: '0' });
  const defaults = (await elb.send(new CreateTargetGroupCommand({ Name: 'grpc-defaults', Protocol: 'HTTP', ProtocolVersion: 'GRPC', Port: 1, VpcId: vpcId }))).TargetGroups![0]!;
  t.equal(defaults.HealthCheckPath, '/AWS.ALB/healthcheck', 'GRPC default health check path');
  t.same(defaults.Matcher, { GrpcCode: '12' }, 'GRPC default success code');

  await t.rejects(elb.send(new CreateListenerCommand({ LoadBalancerArn: lb.LoadBalancerArn, Protocol: 'HTTPS', Port: 443, DefaultActions: [{ Type: 'fixed-response', FixedResponseConfig: { StatusCode: '404' } }] })),
    { name: 'ValidationError' }, 'HTTPS needs a certificate');
  await t.rejects(elb.send(new CreateListenerCommand({ LoadBalancerArn: lb.LoadBalancerArn, Protocol: 'HTTP', Port: 80, DefaultActions: [{ Type: 'forward', TargetGroupArn: tg.TargetGroupArn }] })),
    { name: 'UnsupportedProtocol' }, 'GRPC target groups need an HTTPS listener');
  const https = (CertificateArn: string) => new CreateListenerCommand({
    LoadBalancerArn: lb.LoadBalancerArn, Protocol: 'HTTPS', Port: 443, Certificates: [{ CertificateArn }],
    DefaultActions: [{ Type: 'fixed-response', FixedResponseConfig: { StatusCode: '404', ContentType: 'text/plain' } }],
  });
  await t.rejects(elb.send(https('arn:aws:acm:ap-northeast-1:123456789012:certificate/nope')), { name: 'CertificateNotFoundException' }, 'an unknown certificate');
  const cert = await certificate(sb);
  await t.rejects(elb.send(https(cert.arn)), { name: 'UnsupportedCertificate' }, 'a certificate still PENDING_VALIDATION');
  await cert.validate();
  const listener = (await elb.send(https(cert.arn))).Listeners![0]!;
  t.equal(listener.Certificates?.[0]?.CertificateArn, cert.arn, 'an ISSUED certificate is accepted');
  await t.rejects(elb.send(new CreateListenerCommand({ LoadBalancerArn: lb.LoadBalancerArn, Protocol: 'HTTP', Port: 443, DefaultActions: [{ Type: 'fixed-response', FixedResponseConfig: { StatusCode: '404' } }] })),
    { name: 'DuplicateListenerException' });

  const rule = (await elb.send(new CreateRuleCommand({
    ListenerArn: listener.ListenerArn, Priority: 1,
    Conditions: [{ Field: 'path-pattern', PathPatternConfig: { Values: ['/routeguide.RouteGuide', '/routeguide.RouteGuide/*'] } }],
    Actions: [{ Type: 'forward', ForwardConfig: { TargetGroups: [{ TargetGroupArn: tg.TargetGroupArn, Weight: 1 }] } }],
  }))).Rules![0]!;
  t.same(rule.Conditions?.[0]?.PathPatternConfig?.Values, ['/routeguide.RouteGuide', '/routeguide.RouteGuide/*']);
  t.equal(rule.Actions?.[0]?.TargetGroupArn, tg.TargetGroupArn, 'single-group forward reported with TargetGroupArn');
  await t.rejects(elb.send(new CreateRuleCommand({ ListenerArn: listener.ListenerArn, Priority: 1,
    Conditions: [{ Field: 'path-pattern', Values: ['/x'] }], Actions: [{ Type: 'forward', TargetGroupArn: tg.TargetGroupArn }] })),
  { name: 'PriorityInUseException' });
  await t.rejects(elb.send(new CreateRuleCommand({ ListenerArn: listener.ListenerArn, Priority: 2,
    Conditions: [{ Field: 'path-pattern', Values: ['/1', '/2', '/3', '/4', '/5', '/6'] }], Actions: [{ Type: 'forward', TargetGroupArn: tg.TargetGroupArn }] })),
  { name: 'InvalidConfigurationRequestException' }, 'at most 5 condition values');
  await t.rejects(elb.send(new DeleteTargetGroupCommand({ TargetGroupArn: tg.TargetGroupArn })), { name: 'ResourceInUseException' });

  // Quota: 100 rules per load balancer.
  for (let p = 2; p <= 100; p++) {
    await elb.send(new CreateRuleCommand({ ListenerArn: listener.ListenerArn, Priority: p,
      Conditions: [{ Field: 'path-pattern', Values: [`/svc${p}/*`] }], Actions: [{ Type: 'fixed-response', FixedResponseConfig: { StatusCode: '503' } }] }));
  }
  await t.rejects(elb.send(new CreateRuleCommand({ ListenerArn: listener.ListenerArn, Priority: 101,
    Conditions: [{ Field: 'path-pattern', Values: ['/over'] }], Actions: [{ Type: 'fixed-response', FixedResponseConfig: { StatusCode: '503' } }] })),
  { name: 'TooManyRulesException' });

  // Paging: 101 rules (incl. default) in pages of 40.
  const seen: string[] = [];
  let marker: string | undefined;
  let pages = 0;
  do {
    const out = await elb.send(new DescribeRulesCommand({ ListenerArn: listener.ListenerArn, PageSize: 40, Marker: marker }));
    seen.push(...out.Rules!.map((r) => r.Priority!));
    marker = out.NextMarker;
    pages++;
  } while (marker);
  t.equal(pages, 3);
  t.equal(seen.length, 101);
  t.equal(seen.at(-1), 'default', 'default rule listed last');

  await elb.send(new ModifyRuleCommand({ RuleArn: rule.RuleArn, Conditions: [{ Field: 'path-pattern', Values: ['/routeguide.RouteGuide/*'] }] }));
  const view = sb.aws.service<Elbv2Service>('elbv2').view('ap-northeast-1');
  let changes = 0;
  const off = view.onChange(() => changes++);
  await elb.send(new DeleteRuleCommand({ RuleArn: rule.RuleArn }));
  off();
  t.equal(changes, 1, 'the view is told about the deletion');
  const routes = view.loadBalancers()[0]!.listeners[0]!.rules;
  t.notOk(routes.some((r) => r.pathPatterns.includes('/routeguide.RouteGuide/*')), 'a deleted rule no longer routes');
  await t.rejects(elb.send(new DeleteRuleCommand({ RuleArn: rule.RuleArn })), { name: 'RuleNotFoundException' });

  // Targets.
  await elb.send(new RegisterTargetsCommand({ TargetGroupArn: tg.TargetGroupArn, Targets: [{ Id: '10.0.1.5', Port: 50051 }] }));
  const health = await elb.send(new DescribeTargetHealthCommand({ TargetGroupArn: tg.TargetGroupArn }));
  t.equal(health.TargetHealthDescriptions?.[0]?.TargetHealth?.State, 'unused', 'no rule forwards to it any more');
  await t.rejects(elb.send(new RegisterTargetsCommand({ TargetGroupArn: tg.TargetGroupArn, Targets: [{ Id: 'i-0abc' }] })), { name: 'InvalidTargetException' });
  await t.rejects(elb.send(new RegisterTargetsCommand({ TargetGroupArn: tg.TargetGroupArn, Targets: [{ Id: '10.0.1.6', Port: 0 }] })), { name: 'ValidationError' }, 'port 0');
  await elb.send(new DeregisterTargetsCommand({ TargetGroupArn: tg.TargetGroupArn, Targets: [{ Id: '10.0.1.5', Port: 50051 }] }));
  t.same((await elb.send(new DescribeTargetHealthCommand({ TargetGroupArn: tg.TargetGroupArn }))).TargetHealthDescriptions, [], 'deregistered (no delay at scale 0)');

  // Tags.
  await elb.send(new AddTagsCommand({ ResourceArns: [lb.LoadBalancerArn!, tg.TargetGroupArn!], Tags: [{ Key: 'ingress.k8s.aws/stack', Value: 'demo' }] }));
  const tags = await elb.send(new DescribeTagsCommand({ ResourceArns: [lb.LoadBalancerArn!, tg.TargetGroupArn!] }));
  t.same(tags.TagDescriptions?.[0]?.Tags, [{ Key: 'elbv2.k8s.aws/cluster', Value: 'demo' }, { Key: 'ingress.k8s.aws/stack', Value: 'demo' }]);
  await t.rejects(elb.send(new DescribeTagsCommand({ ResourceArns: Array.from({ length: 21 }, () => lb.LoadBalancerArn!) })), { name: 'ValidationError' });
  await t.rejects(elb.send(new DescribeTagsCommand({ ResourceArns: [lb.LoadBalancerArn! + 'x'] })), { name: 'LoadBalancerNotFoundException' });

  const byLb = await elb.send(new DescribeTargetGroupsCommand({ LoadBalancerArn: lb.LoadBalancerArn }));
  t.same(byLb.TargetGroups, [], 'no rule references the GRPC group now');
  t.equal((await elb.send(new DescribeListenersCommand({ LoadBalancerArn: lb.LoadBalancerArn }))).Listeners?.length, 1);

  await elb.send(new DeleteLoadBalancerCommand({ LoadBalancerArn: lb.LoadBalancerArn }));
  await elb.send(new DeleteLoadBalancerCommand({ LoadBalancerArn: lb.LoadBalancerArn }));
  await t.rejects(elb.send(new DescribeLoadBalancersCommand({ LoadBalancerArns: [lb.LoadBalancerArn!] })), { name: 'LoadBalancerNotFoundException' });
  await elb.send(new DeleteTargetGroupCommand({ TargetGroupArn: tg.TargetGroupArn }));
});

t.test('a load balancer provisions on the scaled clock', async (t) => {
  const sb = await startTestSandbox({ timeScale: 1 / 600 });
  t.teardown(sb.close);
  const { subnets } = await network(sb);
  const lb = (await sb.clients.elbv2.send(new CreateLoadBalancerCommand({ Name: 'slow', Subnets: subnets, Scheme: 'internal' }))).LoadBalancers![0]!;
  t.equal(lb.State?.Code, 'provisioning');
  t.match(lb.DNSName, /^internal-slow-/);
  await new Promise((r) => setTimeout(r, 400));
  const later = await sb.clients.elbv2.send(new DescribeLoadBalancersCommand({ Names: ['slow'] }));
  t.equal(later.LoadBalancers?.[0]?.State?.Code, 'active', '3 emulated minutes = 300 ms at 1/600');
});
