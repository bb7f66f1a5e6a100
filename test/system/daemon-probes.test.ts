// The whole platform under the built daemon: a commit changing a service's replicas is applied
// within a poll interval; breaking one service's route makes only that probe fail within two
// probe intervals; repairing it clears the failure.
import t, { type Test } from 'tap';
import { DeleteRuleCommand, DescribeListenersCommand, DescribeLoadBalancersCommand, DescribeRulesCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import { startDaemonWorld } from '../helpers/daemon-world.js';
import { eventually } from '../helpers/cli.js';

const PROBE_INTERVAL_MS = 1000;
// A full-platform reconcile on a loaded 2-core machine can take minutes: the waits below only bound a hang.
t.setTimeout(600_000);

t.test('probes follow the platform', async (t) => {
  const w = await startDaemonWorld(['--poll-interval', '1s', '--resync-interval', '10m'], {}, {
    full: true,
    prepare: (repo) => repo.commitSpec((s) => s.replace(/interval: 5s/g, 'interval: 1s').replace(/timeout: 2s/g, 'timeout: 500ms'), 'probe every second'),
  });
  t.teardown(w.close);
  const status = async () => (await (await w.get('/status')).json()) as any;
  // On a timeout: every ELBv2/Route53 write the sandbox saw (the controller's included) and both
  // processes' last output — the ALB data path closes only when its load balancer leaves ELBv2.
  const sandboxStory = async (t: Test) => {
    const calls = (await fetch(`${w.env.AWS_ENDPOINT_URL}/_sandbox/calls?agents=1`).then((r) => r.json()).catch(() => [])) as { service?: string; operation?: string; at?: number; errorCode?: string; agent?: string; input?: unknown }[];
    const writes = calls.filter((c) => /^(elbv2|route53)$/.test(c.service ?? '') && !/^(Describe|List|Get)/.test(c.operation ?? ''));
    t.comment(`ELBv2/Route53 writes:\n${writes.map((c) => JSON.stringify({ at: c.at, agent: c.agent, op: c.operation, error: c.errorCode, input: JSON.stringify(c.input).slice(0, 200) })).join('\n').slice(-6000)}`);
    t.comment(`sandbox output:\n${w.sandbox.output().slice(-3000)}`);
    t.comment(`daemon output:\n${w.daemon.output().slice(-6000)}`);
  };
  await eventually(async () => {
    const s = await status();
    return s.lastReconcile?.outcome === 'success' && s.probes.length === 3 && s.probes.every((p: { success: boolean }) => p.success);
  }, 90_000, 'converged with three passing probes').catch(async (err) => {
    t.comment(JSON.stringify(await status().catch(() => ({}))).slice(0, 2000));
    await sandboxStory(t);
    throw err;
  });
  t.pass('converged; every probe passes');
  const { outputs } = await status();
  t.match(outputs, { loadBalancers: [{ id: 'edge/alb/grpc-demo', dnsName: /\.elb\.amazonaws\.com$/ }], nameServers: [{ zone: 'example.com', nameServers: Array }], clusterEndpoint: /^https:\/\// },
    '/status carries the outputs: ALB DNS name, name servers to delegate, cluster endpoint');

  await t.test('a commit changing a service\'s replicas is reconciled within one poll interval', async (t) => {
    const sha = w.repo.commitSpec((s) => s.replace(/replicas: 2/, 'replicas: 3'), 'route-guide: 3 replicas');
    const started = Date.now();
    // The reconcile of this commit, not the first one (whose applied list names route-guide too).
    await eventually(async () => {
      const s = await status();
      return s.lastReconcile?.revision?.endsWith(sha) && s.lastReconcile.outcome === 'success'
        && s.lastReconcile.applied?.includes('kube/Deployment/default/route-guide')
        && s.resources.some((r: { id: string; state: string }) => r.id === 'kube/Deployment/default/route-guide' && r.state === 'in-sync');
    }, 120_000, 'route-guide applied at the new commit');
    // Deadlines only bound a hang; elapsed times are printed, never asserted (a loaded machine).
    t.comment(`applied ${Date.now() - started} ms after the commit (poll interval 1 s)`);
  });

  await t.test('breaking one route fails that probe within two intervals; repairing clears it', async (t) => {
    const lb = (await w.aws.elbv2.send(new DescribeLoadBalancersCommand({}))).LoadBalancers![0]!;
    const listener = (await w.aws.elbv2.send(new DescribeListenersCommand({ LoadBalancerArn: lb.LoadBalancerArn }))).Listeners![0]!;
    const rule = (await w.aws.elbv2.send(new DescribeRulesCommand({ ListenerArn: listener.ListenerArn }))).Rules!.find((r) => JSON.stringify(r.Conditions).includes('helloworld.Greeter'))!;
    await w.aws.elbv2.send(new DeleteRuleCommand({ RuleArn: rule.RuleArn }));
    const broken = Date.now();
    await eventually(async () => (await w.metric('platformd_probe_success')).includes('platformd_probe_success{service="greeter"} 0'), 60_000, 'greeter probe failing');
    t.comment(`greeter failed ${Date.now() - broken} ms after its rule was deleted (probe interval ${PROBE_INTERVAL_MS} ms)`);
    const probes = (await status()).probes;
    t.match(probes.find((p: { service: string }) => p.service === 'greeter'), { success: false, grpcStatus: 12 }, 'UNIMPLEMENTED: the ALB default answer');
    t.ok(probes.filter((p: { service: string }) => p.service !== 'greeter').every((p: { success: boolean }) => p.success), 'the others keep succeeding', { probes });
    t.match((await w.metric('platformd_probe_grpc_status_code')).join('\n'), /service="greeter"\} 12/);

    t.equal((await fetch(`${w.url}/reconcile`, { method: 'POST' })).status, 202);
    const repairing = Date.now();
    await eventually(async () => (await w.metric('platformd_probe_success')).includes('platformd_probe_success{service="greeter"} 1'), 240_000, 'greeter probe recovered').catch(async (err) => {
      // What the daemon saw when the repair did not come (probes, last reconcile, progress): the cause of a rare failure.
      const s = await status().catch(() => ({}));
      t.comment(JSON.stringify({ probes: s.probes, lastReconcile: s.lastReconcile, progress: s.progress, conditions: s.conditions }).slice(0, 4000));
      await sandboxStory(t);
      throw err;
    });
    t.pass(`the next reconcile repaired the rule and the probe passes again (${Date.now() - repairing} ms)`);
  });
});
