// A proto service renamed in protos/ (and in the spec) moves its ALB rule: the Ingress path and
// the ALB path patterns follow the parsed .proto, never a hand-typed path.
import t from 'tap';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DescribeListenersCommand, DescribeLoadBalancersCommand, DescribeRulesCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import { startTestSandbox, type TestSandbox } from '../helpers/sandbox.js';
import { referenceSpec } from '../helpers/specs.js';
import { applyPlatform, planPlatform } from '../../src/engine.js';
import { clusterAccessFor } from '../../src/cloud/cluster-access.js';

async function paths(sb: TestSandbox): Promise<string[]> {
  const lb = (await sb.clients.elbv2.send(new DescribeLoadBalancersCommand({}))).LoadBalancers![0]!;
  const listener = (await sb.clients.elbv2.send(new DescribeListenersCommand({ LoadBalancerArn: lb.LoadBalancerArn }))).Listeners![0]!;
  const rules = (await sb.clients.elbv2.send(new DescribeRulesCommand({ ListenerArn: listener.ListenerArn }))).Rules ?? [];
  return rules.filter((r) => !r.IsDefault).flatMap((r) => r.Conditions![0]!.PathPatternConfig!.Values!).sort();
}

/** A copy of protos/ (each revision in its own checkout directory, as a git source would give). */
function checkout(t: { teardown: (fn: () => void) => void }, edit?: (dir: string) => void): string {
  const dir = mkdtempSync(join(tmpdir(), 'protos-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  cpSync('protos', dir, { recursive: true });
  edit?.(dir);
  return dir;
}

t.test('renaming the proto service moves the rule', async (t) => {
  const sb = await startTestSandbox();
  t.teardown(sb.close);
  const spec = await referenceSpec();
  const before = { spec, aws: sb.clients, kube: clusterAccessFor(spec, sb.clients), protosDir: checkout(t) };
  t.same((await applyPlatform(before)).failed, [], 'converged');
  t.ok((await paths(sb)).includes('/helloworld.Greeter/*'));

  const renamed = checkout(t, (dir) => {
    const file = join(dir, 'helloworld', 'helloworld.proto');
    writeFileSync(file, readFileSync(file, 'utf8').replace(/service Greeter \{/, 'service Welcomer {'));
  });
  spec.services!.find((s) => s.name === 'greeter')!.grpcService = 'helloworld.Welcomer';
  const after = { ...before, protosDir: renamed };
  const { plan } = await planPlatform(after);
  const ingress = plan.changes.find((c) => c.id === 'kube/Ingress/default/grpc-demo');
  t.ok(ingress?.fields.some((f) => f.path.startsWith('spec.rules') && JSON.stringify(f.new).includes('/helloworld.Welcomer/')), 'the Ingress path changes');
  t.same(plan.changes.find((c) => c.id === 'edge/alb/grpc-demo')?.fields.filter((f) => f.path.startsWith('rules[')), [
    { path: 'rules[/helloworld.Welcomer /helloworld.Welcomer/*]', old: null, new: 'default/grpc-demo-greeter:50051' },
    { path: 'rules[/helloworld.Greeter /helloworld.Greeter/*]', old: 'default/grpc-demo-greeter:50051', new: null },
  ], 'and the ALB rule moves');

  t.same((await applyPlatform(after)).failed, []);
  const now = await paths(sb);
  t.ok(now.includes('/helloworld.Welcomer') && now.includes('/helloworld.Welcomer/*'), 'the ALB routes the new name');
  t.notOk(now.some((p) => p.startsWith('/helloworld.Greeter')), 'and no longer the old one');
  t.same((await planPlatform(after)).plan.changes, [], 'converged');
});
