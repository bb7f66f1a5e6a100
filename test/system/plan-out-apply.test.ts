// `plan --out PLANFILE` then `apply PLANFILE` applies exactly the saved plan, and refuses — naming
// what moved, changing nothing — when a resource changed behind platformd's back or the spec file
// changed since the plan was made. The built CLI against the sandbox, as a user runs it.
import t from 'tap';
import { appendFileSync, copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { CreateTagsCommand, DeleteRouteCommand, DescribeRouteTablesCommand, DescribeSubnetsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { startCli, type CliProcess } from '../helpers/cli.js';
import { SANDBOX_CREDENTIALS } from '../../src/sandbox/world.js';

async function exit(cli: CliProcess, timeoutMs = 120_000): Promise<{ code: number | null; output: string }> {
  const code = await new Promise<number | null>((done, fail) => {
    if (cli.child.exitCode !== null) return done(cli.child.exitCode);
    const timer = setTimeout(() => fail(new Error(`no exit within ${timeoutMs} ms:\n${cli.output().slice(-3000)}`)), timeoutMs);
    cli.child.once('exit', (c) => { clearTimeout(timer); done(c); });
  });
  return { code, output: cli.output() };
}

t.test('a saved plan is applied exactly, or refused naming what moved', async (t) => {
  const sandbox = startCli(['sandbox', '--port', '0', '--time-scale', '0']);
  t.teardown(() => sandbox.stop());
  const endpoint = (await sandbox.waitFor(/listening on (http:\/\/127\.0\.0\.1:\d+)/))[1]!;
  const env = { AWS_ENDPOINT_URL: endpoint, AWS_REGION: 'ap-northeast-1', ...SANDBOX_CREDENTIALS };
  const dir = mkdtempSync(join(tmpdir(), 'platformd-planfile-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const spec = join(dir, 'platform.yaml');
  copyFileSync('specs/platform.yaml', spec);
  const planFile = join(dir, 'network.plan');
  const protos = ['--protos', resolve('protos')];
  const cli = (...args: string[]) => exit(startCli(args, env));
  t.equal((await cli('apply', spec, '--auto-approve', '--layers', 'network', ...protos)).code, 0, 'network applied');

  const ec2 = new EC2Client({ endpoint, region: 'ap-northeast-1', credentials: { accessKeyId: SANDBOX_CREDENTIALS.AWS_ACCESS_KEY_ID, secretAccessKey: SANDBOX_CREDENTIALS.AWS_SECRET_ACCESS_KEY } });
  t.teardown(() => ec2.destroy());
  const byId = { Filters: [{ Name: 'tag:platformd.dev/id', Values: ['network/subnet/public-a'] }] };
  const subnetId = (await ec2.send(new DescribeSubnetsCommand(byId))).Subnets![0]!.SubnetId!;
  const elbTag = async () => (await ec2.send(new DescribeSubnetsCommand(byId))).Subnets![0]!.Tags!.find((x) => x.Key === 'kubernetes.io/role/elb')?.Value;
  const setElbTag = (value: string) => ec2.send(new CreateTagsCommand({ Resources: [subnetId], Tags: [{ Key: 'kubernetes.io/role/elb', Value: value }] }));
  const planOut = async () => {
    const run = await cli('plan', spec, '--layers', 'network', ...protos, '-out', planFile);
    t.equal(run.code, 0, 'plan saved');
    return run.output;
  };

  await t.test('a resource outside the plan moved: refused, naming it, nothing changed', async (t) => {
    await setElbTag('0');
    const out = await planOut();
    t.match(out, /~ network\/subnet\/public-a/, 'the plan repairs the subnet tag');
    t.match(out, /Reading \d+ kinds… (\d+)\/\1/, 'reading progress was shown');
    const tables = await ec2.send(new DescribeRouteTablesCommand({ Filters: [{ Name: 'tag:platformd.dev/id', Values: ['network/route-table/private'] }] }));
    await ec2.send(new DeleteRouteCommand({ RouteTableId: tables.RouteTables![0]!.RouteTableId!, DestinationCidrBlock: '0.0.0.0/0' }));
    const run = await cli('apply', planFile);
    t.equal(run.code, 1, 'refused');
    t.match(run.output, /refusing the saved plan[\s\S]*- network\/route-table\/private needs a change the plan does not have/, 'names the route table that moved');
    t.notMatch(run.output, /Apply (complete|finished)/, 'nothing was applied');
    t.equal(await elbTag(), '0', 'the planned change was not made either');
    t.equal((await cli('apply', spec, '--auto-approve', '--layers', 'network', ...protos)).code, 0, 'a fresh apply repairs both');
  });

  await t.test('a resource the plan changes moved again: refused, naming it', async (t) => {
    await setElbTag('0');
    await planOut();
    await setElbTag('2');
    const run = await cli('apply', planFile);
    t.equal(run.code, 1);
    t.match(run.output, new RegExp(`- network/subnet/public-a \\(${subnetId}\\) changed since the plan was made`));
    t.equal(await elbTag(), '2', 'left as it was');
  });

  await t.test('the spec file changed: refused before reading live state', async (t) => {
    await planOut();
    appendFileSync(spec, '# an edit after the plan\n');
    const run = await cli('apply', planFile);
    t.equal(run.code, 1);
    t.match(run.output, new RegExp(`- the spec ${spec.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')} changed since the plan was made`));
    t.notMatch(run.output, /Reading \d+ kinds/, 'no live state was read');
  });

  await t.test('nothing moved: the saved plan is applied without a prompt', async (t) => {
    await setElbTag('0');
    await planOut();
    t.equal(JSON.parse(readFileSync(planFile, 'utf8')).format, 'platformd-plan/1');
    const run = await cli('apply', planFile);
    t.equal(run.code, 0, 'applied');
    if (run.code !== 0) t.comment(run.output.slice(-1500));
    t.match(run.output, /Applying the saved plan/);
    t.match(run.output, /Apply complete in \d+s: 1 applied, 0 failed, 0 skipped\./);
    t.equal(await elbTag(), '1', 'repaired');
    t.match((await cli('plan', spec, '--layers', 'network', ...protos)).output, /No changes/);
  });
});
