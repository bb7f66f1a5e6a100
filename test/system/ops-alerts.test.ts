// End to end with the real Prometheus and Alertmanager (Debian's packages): Prometheus scrapes the
// built daemon with ops/prometheus/rules.yml; breaking one service's route makes its probe alert
// reach Alertmanager (and its webhook receiver); repairing it resolves the alert; removing the
// broken service from the spec deletes its series and resolves the alert too; a committed spec
// that fails to apply fires PlatformdReconcileFailing. The only change to the shipped rules is a
// shorter `for:` so the test runs in seconds instead of minutes.
import t from 'tap';
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import { createServer as netServer, type AddressInfo } from 'node:net';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import YAML from 'yaml';
import { DeleteRuleCommand, DescribeListenersCommand, DescribeLoadBalancersCommand, DescribeRulesCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import { startDaemonWorld } from '../helpers/daemon-world.js';
import { eventually } from '../helpers/cli.js';

async function freePort(): Promise<number> {
  const s = netServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as AddressInfo).port;
  await new Promise((r) => s.close(r));
  return port;
}

function run(cmd: string, args: string[]): ChildProcess & { log: () => string } {
  const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (d) => { out += d; });
  child.stderr!.on('data', (d) => { out += d; });
  return Object.assign(child, { log: () => out });
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const done = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
  await done;
  clearTimeout(timer);
}

t.test('a failing probe alert reaches Alertmanager and resolves', async (t) => {
  const w = await startDaemonWorld(['--poll-interval', '1s', '--resync-interval', '10m'], {}, {
    full: true,
    prepare: (repo) => repo.commitSpec((s) => s.replace(/interval: 5s/g, 'interval: 1s').replace(/timeout: 2s/g, 'timeout: 500ms'), 'probe every second'),
  });
  t.teardown(w.close);
  await eventually(async () => {
    const s = (await (await w.get('/status')).json()) as any;
    return s.probes?.length === 3 && s.probes.every((p: { success: boolean }) => p.success);
  }, 90_000, 'converged with passing probes');

  // The webhook Alertmanager notifies.
  const notifications: { status: string; alerts: { status: string; labels: Record<string, string> }[] }[] = [];
  const receiver: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (d) => { body += d; });
    req.on('end', () => {
      notifications.push(JSON.parse(body));
      res.end();
    });
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
  t.teardown(() => new Promise<void>((r) => receiver.close(() => r())));

  const dir = mkdtempSync(join(tmpdir(), 'platformd-ops-e2e-'));
  const rules = YAML.parse(readFileSync('ops/prometheus/rules.yml', 'utf8'));
  for (const rule of rules.groups[0].rules) rule.for = '2s';
  writeFileSync(join(dir, 'rules.yml'), YAML.stringify(rules));
  const amPort = await freePort();
  const promPort = await freePort();
  writeFileSync(join(dir, 'alertmanager.yml'), YAML.stringify({
    route: { receiver: 'test', group_by: ['alertname', 'service'], group_wait: '1s', group_interval: '1s', repeat_interval: '1h' },
    receivers: [{ name: 'test', webhook_configs: [{ url: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/`, send_resolved: true }] }],
  }));
  writeFileSync(join(dir, 'prometheus.yml'), YAML.stringify({
    global: { scrape_interval: '1s', evaluation_interval: '1s' },
    rule_files: [join(dir, 'rules.yml')],
    alerting: { alertmanagers: [{ static_configs: [{ targets: [`127.0.0.1:${amPort}`] }] }] },
    scrape_configs: [{ job_name: 'platformd', static_configs: [{ targets: [new URL(w.url).host] }] }],
  }));
  const am = run('prometheus-alertmanager', [`--config.file=${join(dir, 'alertmanager.yml')}`, `--storage.path=${join(dir, 'am')}`,
    `--web.listen-address=127.0.0.1:${amPort}`, '--cluster.listen-address=']);
  t.teardown(() => stop(am));
  const prom = run('prometheus', [`--config.file=${join(dir, 'prometheus.yml')}`, `--storage.tsdb.path=${join(dir, 'tsdb')}`,
    `--web.listen-address=127.0.0.1:${promPort}`]);
  t.teardown(() => stop(prom));
  await eventually(async () => (await fetch(`http://127.0.0.1:${promPort}/-/ready`)).ok || undefined, 30_000, 'Prometheus ready')
    .catch((err) => { t.comment(prom.log().slice(-2000)); throw err; });
  await eventually(async () => {
    const r = (await (await fetch(`http://127.0.0.1:${promPort}/api/v1/query?query=platformd_probe_success`)).json()) as any;
    return r.data?.result?.length === 3;
  }, 30_000, 'Prometheus scraping platformd');

  // Break the greeter's route.
  const lb = (await w.aws.elbv2.send(new DescribeLoadBalancersCommand({}))).LoadBalancers![0]!;
  const listener = (await w.aws.elbv2.send(new DescribeListenersCommand({ LoadBalancerArn: lb.LoadBalancerArn }))).Listeners![0]!;
  const rule = (await w.aws.elbv2.send(new DescribeRulesCommand({ ListenerArn: listener.ListenerArn }))).Rules!.find((r) => JSON.stringify(r.Conditions).includes('helloworld.Greeter'))!;
  await w.aws.elbv2.send(new DeleteRuleCommand({ RuleArn: rule.RuleArn }));

  const firing = await eventually(async () => notifications.flatMap((n) => n.alerts).find((a) => a.status === 'firing' && a.labels.alertname === 'PlatformdProbeFailing'), 45_000, 'firing notification')
    .catch((err) => { t.comment(am.log().slice(-1500)); throw err; });
  t.equal(firing.labels.service, 'greeter', 'the alert names the broken service');
  t.equal(firing.labels.severity, 'critical');
  t.notOk(notifications.flatMap((n) => n.alerts).some((a) => a.labels.alertname === 'PlatformdProbeFailing' && a.labels.service !== 'greeter'), 'no other service alerted');

  // Repair: the next reconcile restores the rule; the alert resolves.
  await fetch(`${w.url}/reconcile`, { method: 'POST' });
  const resolved = await eventually(async () => notifications.flatMap((n) => n.alerts).find((a) => a.status === 'resolved' && a.labels.alertname === 'PlatformdProbeFailing'), 45_000, 'resolved notification');
  t.equal(resolved.labels.service, 'greeter');

  const since = (mark: number) => notifications.slice(mark).flatMap((n) => n.alerts);
  const status = async () => (await (await w.get('/status')).json()) as any;

  // Break it again, then remove the failing service from the spec: its series and status entry go
  // as the new spec takes force, and the alert resolves.
  let mark = notifications.length;
  const again = (await w.aws.elbv2.send(new DescribeRulesCommand({ ListenerArn: listener.ListenerArn }))).Rules!.find((r) => JSON.stringify(r.Conditions).includes('helloworld.Greeter'))!;
  await w.aws.elbv2.send(new DeleteRuleCommand({ RuleArn: again.RuleArn }));
  await eventually(async () => since(mark).find((a) => a.status === 'firing' && a.labels.alertname === 'PlatformdProbeFailing' && a.labels.service === 'greeter'), 45_000, 'firing again');
  mark = notifications.length;
  const sha = w.repo.commitSpec((s) => s.replace(/ {2}- name: greeter\n[\s\S]*?\n\n(?= {2}- name:)/, ''), 'remove greeter');
  // The status's spec commit and the prober's targets change in the same tick, so once the one is
  // seen the other must hold.
  await eventually(async () => (await status()).spec.commit === sha || undefined, 30_000, 'the daemon read the commit');
  t.notMatch((await (await w.get('/metrics')).text()), /platformd_probe\w*\{[^}]*service="greeter"/, 'no greeter probe series left');
  t.notOk((await status()).probes.some((p: { service: string }) => p.service === 'greeter'), 'no greeter status entry');
  const gone = await eventually(async () => since(mark).find((a) => a.status === 'resolved' && a.labels.alertname === 'PlatformdProbeFailing' && a.labels.service === 'greeter'), 45_000, 'resolved after removal');
  t.ok(gone, 'the alert of the removed service resolved');

  // A committed spec that cannot be applied: the agent is denied the node group update it asks for.
  mark = notifications.length;
  await fetch(`${w.env.AWS_ENDPOINT_URL}/_sandbox/faults`, { method: 'POST', body: JSON.stringify({ kind: 'access-denied', service: 'eks', operation: 'UpdateNodegroupConfig' }) });
  w.repo.commitSpec((s) => s.replace('desired: 3, max: 6', 'desired: 4, max: 6'), 'scale to 4');
  const failing = await eventually(async () => since(mark).find((a) => a.status === 'firing' && a.labels.alertname === 'PlatformdReconcileFailing'), 60_000, 'PlatformdReconcileFailing firing')
    .catch(async (err) => { t.comment(JSON.stringify((await status()).conditions)); throw err; });
  t.equal(failing.labels.severity, 'critical');
  t.match((await status()).conditions.find((c: { type: string }) => c.type === 'Ready'), { status: 'False', reason: 'ReconciliationFailed' });
});
