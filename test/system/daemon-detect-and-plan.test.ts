// Detect mode reports drift and changes nothing; POST /plan plans a posted spec and changes nothing.
import t from 'tap';
import { readFileSync } from 'node:fs';
import { DeleteRouteCommand, DescribeRouteTablesCommand } from '@aws-sdk/client-ec2';
import { ListRolesCommand } from '@aws-sdk/client-iam';
import { startDaemonWorld } from '../helpers/daemon-world.js';
import { eventually } from '../helpers/cli.js';

t.test('detect mode and POST /plan', async (t) => {
  // Converge first in apply mode, then watch the same account in detect mode.
  const apply = await startDaemonWorld(['--poll-interval', '1s']);
  t.teardown(apply.close);
  await eventually(async () => (await (await apply.get('/readyz')).ok) || undefined, 60_000, 'converged');

  await t.test('POST /plan with a spec that adds a service returns exactly that addition and changes nothing', async (t) => {
    const spec = readFileSync('specs/platform.yaml', 'utf8').replace('\ndomain:', `
  - name: billing
    image: public.ecr.aws/platformd/billing:1.0.0
    port: 50051
    grpcService: grpc.health.v1.Health
    serviceAccount:
      name: billing
      iamPolicyArns: [arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess]

domain:`);
    const before = (await apply.aws.iam.send(new ListRolesCommand({ PathPrefix: '/platformd/' }))).Roles?.length;
    const res = await fetch(`${apply.url}/plan?format=json`, { method: 'POST', body: spec, headers: { 'content-type': 'application/yaml' } });
    t.equal(res.status, 200);
    const plan = (await res.json()) as any;
    t.same(plan.changes.map((c: { action: string; id: string }) => `${c.action} ${c.id}`), ['+ iam/role/irsa-svc-billing'], 'exactly the new service\'s role (kube layer not in this run)');
    t.equal((await apply.aws.iam.send(new ListRolesCommand({ PathPrefix: '/platformd/' }))).Roles?.length, before, 'nothing was created');

    const bad = await fetch(`${apply.url}/plan`, { method: 'POST', body: spec.replace('port: 50051', 'port: "fifty"'), headers: { 'content-type': 'application/yaml' } });
    t.equal(bad.status, 422);
    const body = (await bad.json()) as { error: { code: string; details: { diagnostics: unknown[] } } };
    t.equal(body.error.code, 'invalid_spec');
    t.match(body.error.details.diagnostics[0], { line: Number, column: Number, message: /must be an integer/ });
  });
  await apply.daemon.stop();
});

t.test('in detect mode drift shows in /metrics and /plan and nothing is changed', async (t) => {
  const w = await startDaemonWorld(['--poll-interval', '1s', '--resync-interval', '1s']);
  t.teardown(w.close);
  await eventually(async () => (await (await w.get('/readyz')).ok) || undefined, 60_000, 'converged');
  await w.daemon.stop();
  // Same repository and account, now watched by a daemon in detect mode.
  const { startCli } = await import('../helpers/cli.js');
  const { mkdtempSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const detect = startCli(['run', '--repo', w.repo.dir, '--listen', '127.0.0.1:0', '--layers', 'network,iam,eks', '--mode', 'detect',
    '--poll-interval', '1s', '--resync-interval', '1s', '--workdir', mkdtempSync(join(tmpdir(), 'platformd-work-'))], w.env);
  t.teardown(() => detect.stop());
  const url = (await detect.waitFor(/listening on (http:\/\/127\.0\.0\.1:\d+)/))[1]!;
  await eventually(async () => (await fetch(`${url}/readyz`)).ok || undefined, 30_000, 'detect daemon ready');

  const rt = (await w.aws.ec2.send(new DescribeRouteTablesCommand({ Filters: [{ Name: 'tag:platformd.dev/id', Values: ['network/route-table/private'] }] }))).RouteTables![0]!;
  await w.aws.ec2.send(new DeleteRouteCommand({ RouteTableId: rt.RouteTableId, DestinationCidrBlock: '0.0.0.0/0' }));
  await eventually(async () => (await (await fetch(`${url}/metrics`)).text()).includes('platformd_resource_drift{kind="ec2/route-table",id="network/route-table/private"} 1'), 10_000, 'drift metric');
  t.match(await (await fetch(`${url}/metrics`)).text(), /platformd_drifted_resources\{kind="ec2\/route-table"\} 1/);
  t.match(await (await fetch(`${url}/plan`)).text(), /~ network\/route-table\/private[^\n]*\n\s*\+ routes\.0\.0\.0\.0\/0:\n\s*\+ natGatewayId: "nat-/);
  t.match(await (await fetch(`${url}/metrics`)).text(), /platformd_info\{version="[^"]+",mode="detect"\} 1/);
  await new Promise((r) => setTimeout(r, 2500));
  const after = (await w.aws.ec2.send(new DescribeRouteTablesCommand({ RouteTableIds: [rt.RouteTableId!] }))).RouteTables![0]!;
  t.notOk(after.Routes?.some((r) => r.DestinationCidrBlock === '0.0.0.0/0'), 'the route is still missing: detect mode changed nothing');
});
