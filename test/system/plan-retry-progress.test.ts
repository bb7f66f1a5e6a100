// `platformd plan` (the built CLI) while the sandbox answers 5xx to one read more often than the
// SDK's own retries absorb: the engine retries by error class and says so on stderr — which read,
// which attempt, the operation and status that failed, when the next try is — then the plan
// completes (issue 14: long retries show progress lines instead of retrying silently).
import t from 'tap';
import { startCli, exited } from '../helpers/cli.js';

const CREDENTIALS = { AWS_ACCESS_KEY_ID: 'AKIASANDBOXEXAMPLE01', AWS_SECRET_ACCESS_KEY: 'sandbox-secret-access-key-not-a-real-secret' };

t.test('retries while reading live state are progress lines, and the plan completes', async (t) => {
  const sandbox = startCli(['sandbox', '--port', '0', '--time-scale', '0']);
  t.teardown(() => sandbox.stop());
  const endpoint = (await sandbox.waitFor(/listening on (http:\/\/127\.0\.0\.1:\d+)/))[1]!;
  // Six 500s in a row: the SDK's standard mode makes three attempts per call, so the engine's own
  // retry (with its progress line) has to take over at least once.
  const fault = await fetch(`${endpoint}/_sandbox/faults`, { method: 'POST', body: JSON.stringify({ kind: 'server-error', service: 'ec2', operation: 'DescribeVpcs', count: 6 }) });
  t.equal(fault.status, 200, 'fault injected');

  const cli = startCli(['plan', 'specs/platform.yaml'], { AWS_ENDPOINT_URL: endpoint, AWS_REGION: 'ap-northeast-1', ...CREDENTIALS });
  const code = await exited(cli, 120_000);
  const output = cli.output();
  t.equal(code, 0, 'plan completes once the reads succeed', { output: output.slice(-1500) });
  const retries = output.split('\n').filter((l) => /observe ec2\/vpc: attempt \d+ failed/.test(l));
  t.ok(retries.length >= 1, 'at least one retry line for the VPC read', { output: output.slice(-1500) });
  t.match(retries[0], /observe ec2\/vpc: attempt 1 failed \(.*DescribeVpcs.*\); next try in \d+(\.\d+)?s/, 'names the read, the attempt, the failed operation and the next try');
  t.match(output, /Plan: \d+ to create/, 'and the plan is printed');
  const calls = (await (await fetch(`${endpoint}/_sandbox/calls`)).json()) as { operation: string; status: number }[];
  t.ok(calls.filter((c) => c.operation === 'DescribeVpcs' && c.status >= 500).length === 6, 'the sandbox answered exactly the six injected 5xx');
});
