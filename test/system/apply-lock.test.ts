// Two `platformd apply` (built CLI) on one platform never run at once: the second exits 1 naming
// the holder and since when; once the first has ended, it runs. Locked with the platform's Lease
// on the sandbox's management cluster, and with a local lock file when no lock cluster is set.
import t from 'tap';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startCli, type CliProcess } from '../helpers/cli.js';
import { SANDBOX_CREDENTIALS } from '../../src/sandbox/world.js';

async function exitOf(cli: CliProcess, timeoutMs = 180_000): Promise<number | null> {
  if (cli.child.exitCode !== null) return cli.child.exitCode;
  return new Promise((done, fail) => {
    const timer = setTimeout(() => fail(new Error(`no exit within ${timeoutMs} ms:\n${cli.output().slice(-2000)}`)), timeoutMs);
    cli.child.once('exit', (code) => { clearTimeout(timer); done(code); });
  });
}

t.test('a second apply on a locked platform refuses, then runs once the first ended', async (t) => {
  const kubeconfig = join(mkdtempSync(join(tmpdir(), 'platformd-lock-')), 'management.kubeconfig');

  for (const [mode, env, holder] of [
    ['Lease', { PLATFORMD_LEASE_KUBECONFIG: kubeconfig }, /locked by apply:[^@]+@[^:]+:(\d+) since \d{4}-\d\d-\d\dT[\d:.]+Z \(Lease default\/platformd-[\w-]+ on https:/],
    ['lock file', { XDG_RUNTIME_DIR: mkdtempSync(join(tmpdir(), 'platformd-xdg-')), PLATFORMD_LEASE_KUBECONFIG: '' }, /locked by apply:[^@]+@[^:]+:(\d+) \(pid \d+ on [^)]+\) since \d{4}-\d\d-\d\dT[\d:.]+Z: lock file .*platformd\/[\w-]+\.lock/],
  ] as const) {
    await t.test(mode, async (t) => {
      // A sandbox of its own: the first apply has the whole network to create.
      const sandbox = startCli(['sandbox', '--port', '0', '--time-scale', '0', '--management-kubeconfig', kubeconfig]);
      t.teardown(() => sandbox.stop());
      const endpoint = (await sandbox.waitFor(/listening on (http:\/\/127\.0\.0\.1:\d+)/))[1]!;
      await sandbox.waitFor(/management cluster for platformd's own Leases/);
      const aws = { AWS_ENDPOINT_URL: endpoint, AWS_REGION: 'ap-northeast-1', ...SANDBOX_CREDENTIALS };
      const apply = (extra: Record<string, string>) => startCli(['apply', 'specs/platform.yaml', '--layers', 'network', '--auto-approve'], { ...aws, ...extra });
      // Every EC2 call of the first apply is slowed, so it holds the lock for many seconds.
      await fetch(`${endpoint}/_sandbox/faults`, { method: 'POST', body: JSON.stringify({ kind: 'latency', service: 'ec2', latencyMs: 1_500 }) });
      const first = apply(env);
      t.teardown(() => first.stop());
      await first.waitFor(/Locked platform/, 60_000);
      const second = apply(env);
      t.equal(await exitOf(second), 1, 'the second apply exits 1');
      t.equal(first.child.exitCode, null, 'while the first is still running');
      const named = holder.exec(second.output());
      t.ok(named, `it names the holder and since when: ${second.output().trim().split('\n').pop()}`);
      t.equal(Number(named?.[1]), first.child.pid, 'the holder is the first apply');
      if (mode === 'lock file') t.match(first.output(), /lock file .* \(no lock cluster: set --lease-kubeconfig/, 'the first said it uses a local lock file');
      await fetch(`${endpoint}/_sandbox/faults`, { method: 'DELETE' });
      t.equal(await exitOf(first), 0, 'the first apply completes');
      const third = apply(env);
      t.equal(await exitOf(third), 0, 'after the first ended, the next apply runs');
      t.match(third.output(), /Locked platform/);
    });
  }
});
