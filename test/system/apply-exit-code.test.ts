// `platformd apply` (the built CLI) exits only after its summary, with the exit code the summary
// implies — also when the only work left is a wait on an unref'd timer (the ALB read-back).
import t, { type Test } from 'tap';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startCli, type CliProcess } from '../helpers/cli.js';
import { SANDBOX_CREDENTIALS } from '../../src/sandbox/world.js';

const SUMMARY = /\nApply (complete|finished with problems) in \d+s: (\d+) applied, (\d+) failed, (\d+) skipped\.\n/;

/** Run a CLI to its exit; the exit code and everything it printed. */
async function runToExit(cli: CliProcess, timeoutMs = 120_000): Promise<{ code: number | null; output: string }> {
  const code = await new Promise<number | null>((done, fail) => {
    if (cli.child.exitCode !== null) return done(cli.child.exitCode);
    const timer = setTimeout(() => fail(new Error(`no exit within ${timeoutMs} ms:\n${cli.output().slice(-3000)}`)), timeoutMs);
    cli.child.once('exit', (c) => {
      clearTimeout(timer);
      done(c);
    });
  });
  return { code, output: cli.output() };
}

/** The summary is the last thing printed, and the exit code is the one it implies. */
function exitTellsTheTruth(t: Test, run: { code: number | null; output: string }): void {
  const m = run.output.match(SUMMARY);
  t.ok(m, 'a summary was printed before the exit');
  if (!m) return void t.comment(run.output.slice(-1500));
  const rest = run.output.slice(m.index! + m[0].length);
  t.notOk(/^\d\d:\d\d:\d\d /m.test(rest), 'no progress after the summary');
  const clean = m[1] === 'complete' && m[3] === '0' && m[4] === '0';
  t.equal(run.code, clean ? 0 : 1, `exit code ${run.code} matches "${m[0].trim()}"`);
}

t.test('apply exits after its summary with the code it implies', async (t) => {
  const sandbox = startCli(['sandbox', '--port', '0', '--time-scale', '0']);
  t.teardown(() => sandbox.stop());
  const endpoint = (await sandbox.waitFor(/listening on (http:\/\/127\.0\.0\.1:\d+)/))[1]!;
  const env = { AWS_ENDPOINT_URL: endpoint, AWS_REGION: 'ap-northeast-1', ...SANDBOX_CREDENTIALS };
  const base = await runToExit(startCli(['apply', 'specs/platform.yaml', '--auto-approve', '--layers', 'network,iam,eks'], env));
  t.equal(base.code, 0, 'network, IAM and EKS applied');

  await t.test('edge alone: the ALB needs an Ingress outside the run, so it is blocked, not waited for', async (t) => {
    const run = await runToExit(startCli(['apply', 'specs/platform.yaml', '--auto-approve', '--layers', 'edge'], env));
    t.match(run.output, /! edge\/alb\/grpc-demo[^\n]*\n(?:[^\n]*\n)*?[^\n]*kube\/Ingress\/default\/grpc-demo[^\n]*outside this run/, 'planned as blocked by the missing Ingress');
    t.notMatch(run.output, /waiting for the load balancer controller/, 'never waited for an ALB that cannot come');
    exitTellsTheTruth(t, run);
    t.match(run.output, /skipped: edge\/alb\/grpc-demo/, 'the summary names the blocked ALB');
  });

  await t.test('waiting for an ALB that does not come: alive until interrupted, then the summary and 1', async (t) => {
    // Without the controller nobody turns the Ingress into an ALB: the read-back waits (15 min).
    const dir = mkdtempSync(join(tmpdir(), 'platformd-exit-'));
    t.teardown(() => rmSync(dir, { recursive: true, force: true }));
    const spec = join(dir, 'platform.yaml');
    writeFileSync(spec, readFileSync('specs/platform.yaml', 'utf8').replace(/loadBalancerController:\n {2}version: v3\.5\.0\n/, 'loadBalancerController:\n  install: false\n'));
    const cli = startCli(['apply', spec, '--auto-approve', '--protos', resolve('protos')], env);
    t.teardown(() => cli.stop());
    await cli.waitFor(/waiting for the load balancer controller[^\n]*\n[\s\S]*waiting for the load balancer controller/, 60_000);
    t.equal(cli.child.exitCode, null, 'still running while the wait is the only pending work');
    cli.child.kill('SIGINT');
    const run = await runToExit(cli);
    exitTellsTheTruth(t, run);
    t.equal(run.code, 1, 'an interrupted apply does not report success');
  });
});
