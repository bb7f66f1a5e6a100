// Adding a service to the spec adds its ALB rule (with the path from its .proto) and a GRPC
// target group; removing one prunes its rule and target group. The plan shows the ALB change
// alongside the Ingress change that causes it.
import t from 'tap';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DescribeListenersCommand, DescribeLoadBalancersCommand, DescribeRulesCommand, DescribeTargetGroupsCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import { startTestSandbox, type TestSandbox } from '../helpers/sandbox.js';
import { referenceSpec } from '../helpers/specs.js';
import { applyPlatform, planPlatform } from '../../src/engine.js';
import { clusterAccessFor } from '../../src/cloud/cluster-access.js';

async function alb(sb: TestSandbox): Promise<{ paths: string[]; groups: string[] }> {
  const lb = (await sb.clients.elbv2.send(new DescribeLoadBalancersCommand({}))).LoadBalancers![0]!;
  const listener = (await sb.clients.elbv2.send(new DescribeListenersCommand({ LoadBalancerArn: lb.LoadBalancerArn }))).Listeners![0]!;
  const rules = (await sb.clients.elbv2.send(new DescribeRulesCommand({ ListenerArn: listener.ListenerArn }))).Rules ?? [];
  const tgs = (await sb.clients.elbv2.send(new DescribeTargetGroupsCommand({ LoadBalancerArn: lb.LoadBalancerArn }))).TargetGroups ?? [];
  return {
    paths: rules.filter((r) => !r.IsDefault).map((r) => r.Conditions![0]!.PathPatternConfig!.Values![0]!).sort(),
    groups: tgs.map((g) => `${g.ProtocolVersion}`),
  };
}

t.test('add a service, then remove one', async (t) => {
  const protosDir = mkdtempSync(join(tmpdir(), 'protos-'));
  t.teardown(() => rmSync(protosDir, { recursive: true, force: true }));
  cpSync('protos', protosDir, { recursive: true });
  writeFileSync(join(protosDir, 'echo.proto'), 'syntax = "proto3";\npackage echo.v1;\nmessage Msg { string text = 1; }\nservice Echo { rpc Say(Msg) returns (Msg); }\n');

  const sb = await startTestSandbox();
  t.teardown(sb.close);
  const spec = await referenceSpec();
  const opts = { spec, aws: sb.clients, kube: clusterAccessFor(spec, sb.clients), protosDir };
  t.same((await applyPlatform(opts)).failed, [], 'converged with three services');
  t.equal((await alb(sb)).paths.length, 3);

  spec.services!.push({ name: 'echo', image: 'public.ecr.aws/platformd/echo:1.0.0', port: 50051, replicas: 1, grpcService: 'echo.v1.Echo', healthService: false, namespace: 'default', env: {} });
  const added = (await planPlatform(opts)).plan;
  const alb1 = added.changes.find((c) => c.id === 'edge/alb/grpc-demo');
  t.same(alb1?.fields.filter((f) => f.path.startsWith('rules[')), [{ path: 'rules[/echo.v1.Echo /echo.v1.Echo/*]', old: null, new: 'default/grpc-demo-echo:50051' }],
    'the plan shows the new ALB rule');
  t.ok(added.changes.some((c) => c.id === 'kube/Ingress/default/grpc-demo' && c.action === '~'), 'and the Ingress change behind it');
  t.same((await applyPlatform(opts)).failed, []);
  const after = await alb(sb);
  t.same(after.paths, ['/echo.v1.Echo', '/helloworld.Greeter', '/keyvaluestore.KeyValueStore', '/routeguide.RouteGuide'], 'its rule exists');
  t.same(after.groups, ['GRPC', 'GRPC', 'GRPC', 'GRPC'], 'all target groups GRPC');
  t.same((await planPlatform(opts)).plan.changes, [], 'converged');

  spec.services = spec.services!.filter((s) => s.name !== 'kv-store');
  const removed = (await planPlatform(opts)).plan;
  t.same(removed.changes.find((c) => c.id === 'edge/alb/grpc-demo')?.fields.filter((f) => f.path.startsWith('rules[')),
    [{ path: 'rules[/keyvaluestore.KeyValueStore /keyvaluestore.KeyValueStore/*]', old: 'default/grpc-demo-kv-store:50051', new: null }], 'the plan shows the rule going');
  t.ok(removed.changes.some((c) => c.id === 'kube/Deployment/default/kv-store' && c.action === '-'), 'with its Deployment');
  t.same((await applyPlatform(opts)).failed, []);
  const pruned = await alb(sb);
  t.same(pruned.paths, ['/echo.v1.Echo', '/helloworld.Greeter', '/routeguide.RouteGuide'], 'its rule is pruned');
  t.equal(pruned.groups.length, 3, 'and its target group');
  t.same((await planPlatform(opts)).plan.changes, [], 'converged');
});
