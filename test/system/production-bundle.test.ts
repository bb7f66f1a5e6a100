// The production bundle (dist/platformd.mjs from `npm run build`) is `platformd` for a user and
// in the image: it runs through its own shebang (with the V8 flags it sets), needs no
// node_modules (the image ships none), leaves the sandbox out, plans against the sandbox and, as
// the daemon, converges the reference platform with every probe passing.
import t from 'tap';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eventually, exited, startCli } from '../helpers/cli.js';
import { startDaemonWorld } from '../helpers/daemon-world.js';
import { SANDBOX_CREDENTIALS } from '../../src/sandbox/world.js';

// A full-platform reconcile on a loaded 2-core machine can take minutes: the waits below only bound a hang.
t.setTimeout(600_000);

/** The bundle and what the package ships beside it, in a directory with no node_modules above it. */
function bundleAlone(t: { teardown(fn: () => void): void }): { dir: string; cli: string } {
  const dir = mkdtempSync(join(tmpdir(), 'platformd-bundle-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  mkdirSync(join(dir, 'dist'));
  // platformd.mjs, its spec worker and the chunks they import (scripts/bundle.mjs), as the image copies them.
  for (const file of readdirSync('dist').filter((f) => /^platformd.*\.mjs$/.test(f))) cpSync(join('dist', file), join(dir, 'dist', file));
  for (const part of ['schema', 'protos', 'specs', 'package.json']) cpSync(part, join(dir, part), { recursive: true });
  return { dir, cli: join(dir, 'dist', 'platformd.mjs') };
}

/** The environment and node flags the bundle's `#!/usr/bin/env -S NAME=value… node <flags>` line gives it. */
function shebang(cli: string): { env: Record<string, string>; flags: string[] } {
  const words = readFileSync(cli, 'utf8').split('\n', 1)[0]!.split(/\s+/);
  const node = words.indexOf('node');
  const env = Object.fromEntries(words.slice(2, node).map((w) => w.split('=') as [string, string]));
  return { env, flags: words.slice(node + 1) };
}

t.test('the bundle alone: --help, version and validate through its shebang, no sandbox', async (t) => {
  const { dir, cli } = bundleAlone(t);
  t.match(readFileSync(cli, 'utf8').split('\n', 1)[0], /^#!\/usr\/bin\/env -S MALLOC_MMAP_THRESHOLD_=16384 MALLOC_TRIM_THRESHOLD_=0 node --max-semi-space-size=1 --no-opt --no-sparkplug --no-maglev --gc-memory-reducer-start-delay-ms=1000$/,
    'the shebang carries the malloc settings and the V8 flags');
  // Tree-shaken (scripts/bundle.mjs): one file with lazy command imports kept every shape of every
  // SDK operation (all 2,580 of EC2's), 1.1 MB of code V8 held in memory for nothing.
  const code = readdirSync(join(dir, 'dist')).map((f) => readFileSync(join(dir, 'dist', f), 'utf8')).join('\n');
  // (a boolean: a failing match would print the whole bundle)
  t.notOk(/WithdrawByoipCidr/.test(code), 'no shape of an EC2 operation platformd never calls');
  t.ok(/DescribeVpcs/.test(code), 'the operations it calls are there');
  const run = (...args: string[]) => spawnSync(cli, args, { cwd: dir, encoding: 'utf8', env: { ...process.env, AWS_ENDPOINT_URL: 'http://127.0.0.1:9' } });
  const help = run('--help');
  t.equal(help.status, 0, help.stderr);
  t.match(help.stdout, /run\s+run the daemon[\s\S]*sandbox\s+\(not in this build/);
  const { version } = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string };
  const shown = run('version');
  t.equal(shown.status, 0, shown.stderr);
  t.match(shown.stdout, new RegExp(`^platformd ${version.replace(/\./g, '\\.')} \\(node `));
  t.equal(run('--version').stdout, shown.stdout, '--version is the same');
  const valid = run('validate', 'specs/platform.yaml');
  t.equal(valid.status, 0, `validate works (reads schema/ beside dist/): ${valid.stderr}`);
  const sandbox = run('sandbox');
  t.equal(sandbox.status, 64, 'the sandbox is not in the bundle: a usage error');
  t.match(sandbox.stderr, /not in this build/);
});

t.test('plan from the bundle against the sandbox', async (t) => {
  const { dir, cli } = bundleAlone(t);
  const sandbox = startCli(['sandbox', '--port', '0', '--time-scale', '0']);
  t.teardown(() => sandbox.stop());
  const endpoint = (await sandbox.waitFor(/listening on (http:\/\/127\.0\.0\.1:\d+)/))[1]!;
  const plan = startCli(['plan', join(dir, 'specs', 'platform.yaml'), '--protos', join(dir, 'protos')],
    { AWS_ENDPOINT_URL: endpoint, AWS_REGION: 'ap-northeast-1', ...SANDBOX_CREDENTIALS, ...shebang(cli).env }, [...shebang(cli).flags, cli]);
  t.equal(await exited(plan), 0, plan.output().slice(-3000));
  t.match(plan.output(), /Plan: [1-9]\d* to create, 0 to update, 0 to delete/, 'every resource of the reference platform to create');
});

t.test('the bundled daemon converges the reference platform; every probe passes', async (t) => {
  const { cli } = bundleAlone(t);
  const w = await startDaemonWorld(['--poll-interval', '1m', '--resync-interval', '10m'], shebang(cli).env, {
    full: true,
    daemonCli: [...shebang(cli).flags, cli],
    prepare: (repo) => repo.commitSpec((s) => s.replace(/interval: 5s/g, 'interval: 1s').replace(/timeout: 2s/g, 'timeout: 500ms'), 'probe every second'),
  });
  t.teardown(w.close);
  const status = async () => (await (await w.get('/status')).json()) as { lastReconcile?: { outcome?: string }; probes: { success: boolean }[] };
  await eventually(async () => {
    const s = await status();
    return s.lastReconcile?.outcome === 'success' && s.probes.length === 3 && s.probes.every((p) => p.success);
  }, 240_000, 'converged with three passing probes').catch(async (err) => {
    t.comment(JSON.stringify(await status().catch(() => ({}))).slice(0, 2000));
    t.comment(w.daemon.output().slice(-3000));
    throw err;
  });
  t.pass('converged; every probe passes');
  const probes = async (result: string) => (await w.metric('platformd_probes_total{')).filter((l) => l.includes(`result="${result}"`)).reduce((a, l) => a + Number(l.split(' ').pop()), 0);
  const [succeeded, failed] = [await probes('success'), await probes('failure')];
  await eventually(async () => (await probes('success')) >= succeeded + 6, 60_000, 'more successful probes');
  t.equal(await probes('failure'), failed, 'no probe failed once converged');
  // The bundle escapes the status page's non-ASCII text (scripts/bundle.mjs): it still reads the same.
  t.match(await (await w.get('/')).text(), /<strong>Ready<\/strong>: True — /, 'the status page renders its text unchanged');
});
