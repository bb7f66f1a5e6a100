// The production image leaves the sandbox out (Dockerfile): the CLI built without it still lists
// every command, says plainly that the sandbox is not in the build, and validates specs.
import t from 'tap';
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

t.test('a build without dist/sandbox works for everything but the sandbox', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'platformd-prod-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  for (const part of ['dist', 'schema', 'protos', 'specs', 'package.json']) cpSync(part, join(dir, part), { recursive: true });
  symlinkSync(resolve('node_modules'), join(dir, 'node_modules'));
  // What the Dockerfile's build stage removes.
  execFileSync('sh', ['-c', 'rm -rf dist/sandbox dist/cli-sandbox.* dist/cli-demo.*'], { cwd: dir });
  const run = (...args: string[]) => spawnSync(process.execPath, ['dist/cli.js', ...args], { cwd: dir, encoding: 'utf8' });
  const help = run('--help');
  t.equal(help.status, 0);
  t.match(help.stdout, /validate[\s\S]*sandbox\s+\(not in this build/);
  const sandbox = run('sandbox');
  t.equal(sandbox.status, 64, 'a usage error (EX_USAGE)');
  t.match(sandbox.stderr, /not in this build/);
  t.equal(run('validate', 'specs/platform.yaml').status, 0, 'validate works');
});
