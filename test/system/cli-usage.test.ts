// Usage errors exit 64 (EX_USAGE) from every command, never 2: under `plan --detailed-exitcode`
// 2 means "changes present", and a CI job must not read a mistyped flag as that. `platformd
// version` answers without touching AWS.
import t from 'tap';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

const run = (...args: string[]) => spawnSync(process.execPath, ['dist/cli.js', ...args], { encoding: 'utf8', env: { ...process.env, AWS_ENDPOINT_URL: 'http://127.0.0.1:9' } });

t.test('usage errors exit 64', async (t) => {
  const cases: { reason: string; args: string[] }[] = [
    { reason: 'an unknown flag under --detailed-exitcode', args: ['plan', 'specs/platform.yaml', '--detailed-exitcode', '--no-such-flag'] },
    { reason: 'plan without FILE under --detailed-exitcode', args: ['plan', '--detailed-exitcode'] },
    { reason: 'an unknown layer under --detailed-exitcode', args: ['plan', 'specs/platform.yaml', '--detailed-exitcode', '--layers', 'nope'] },
    { reason: 'apply with a bad --concurrency', args: ['apply', 'specs/platform.yaml', '--concurrency', '0'] },
    { reason: 'validate without FILE', args: ['validate'] },
    { reason: 'run without --repo', args: ['run'] },
    { reason: 'an unknown command', args: ['frobnicate'] },
    { reason: 'no command at all', args: [] },
  ];
  for (const c of cases) {
    const r = run(...c.args);
    t.equal(r.status, 64, c.reason);
    t.ok(r.stderr.length > 0, `${c.reason}: says why on stderr`);
  }
});

t.test('platformd version', async (t) => {
  const { version } = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string };
  const text = run('version');
  t.equal(text.status, 0);
  t.match(text.stdout, new RegExp(`^platformd ${version.replace(/\./g, '\\.')} \\(node ${process.versions.node}, `));
  const json = run('version', '--json');
  t.same(JSON.parse(json.stdout), { platformd: version, node: process.versions.node, platform: `${process.platform}/${process.arch}` });
  t.equal(run('--version').stdout, text.stdout, '--version is the same');
});
