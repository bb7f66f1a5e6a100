// The built CLI tearing down the reference platform is killed with SIGKILL at three points (the
// Ingress, the node group and the cluster being deleted) and run again: the last run completes,
// nothing owned is left in any emulated service and the next plan is empty.
import t from 'tap';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { exited, startCli } from '../helpers/cli.js';
import { leftovers } from '../helpers/teardown.js';
import { awsClients, resetAwsClients } from '../../src/cloud/aws.js';
import { SANDBOX_CREDENTIALS } from '../../src/sandbox/world.js';

const TEARDOWN = `apiVersion: platformd.dev/v1alpha1
kind: Platform
metadata:
  name: grpc-demo
region: ap-northeast-1
deletion:
  allow: [network, cluster, nodeGroups, hostedZone, certificate, iam]
`;


t.test('teardown killed -9 three times, then rerun, leaves nothing', async (t) => {
  // A small time scale: a node group or cluster spends a second or two DELETING.
  const sandbox = startCli(['sandbox', '--port', '0', '--time-scale', '0.003']);
  t.teardown(() => sandbox.stop());
  const endpoint = (await sandbox.waitFor(/listening on (http:\/\/127\.0\.0\.1:\d+)/))[1]!;
  const env = { AWS_ENDPOINT_URL: endpoint, AWS_REGION: 'ap-northeast-1', ...SANDBOX_CREDENTIALS };
  const dir = mkdtempSync(join(tmpdir(), 'platformd-teardown-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const teardown = join(dir, 'teardown.yaml');
  writeFileSync(teardown, TEARDOWN);
  const teardownArgs = ['apply', teardown, '--auto-approve', '--protos', resolve('protos')];

  t.equal(await exited(startCli(['apply', 'specs/platform.yaml', '--auto-approve'], env)), 0, 'the reference platform converged');

  for (const point of ['kube/Ingress/default/grpc-demo', 'eks/nodegroup/default', 'eks/cluster']) {
    const run = startCli(teardownArgs, env);
    // (CliProcess.stop() waits for an exit event, which a process already killed never sends again.)
    t.teardown(() => (run.child.signalCode === null && run.child.exitCode === null ? run.stop() : undefined));
    await run.waitFor(new RegExp(`${point.replace(/\//g, '\\/')}: deleting…`), 120_000);
    run.child.kill('SIGKILL');
    await exited(run);
    t.equal(run.child.signalCode, 'SIGKILL', `killed while deleting ${point}`);
  }

  const last = startCli(teardownArgs, env);
  t.equal(await exited(last), 0, 'the rerun exits 0');
  t.match(last.output(), /Apply complete in \d+s: \d+ applied, 0 failed, 0 skipped\./, 'and says the teardown is complete');

  const plan = startCli(['plan', teardown, '--protos', resolve('protos')], env);
  t.equal(await exited(plan), 0, 'plan runs');
  t.match(plan.output(), /No changes\./, 'the next plan is empty');

  Object.assign(process.env, env);
  resetAwsClients();
  t.teardown(resetAwsClients);
  const after = await leftovers(awsClients({ region: 'ap-northeast-1', maxAttempts: 3 }), 'grpc-demo');
  t.same(after, Object.fromEntries(Object.keys(after).map((k) => [k, 0])), 'nothing owned is left in any emulated service');
});
