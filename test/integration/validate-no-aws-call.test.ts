// `platformd validate` rejects every spec of the bad corpus with file:line:column and makes no AWS
// call: verified, not assumed. The CLI runs as a child process with a module hook that refuses to
// load the AWS SDK, smithy or the Kubernetes client, and with every AWS endpoint pointed at a
// local server that counts what reaches it. A `plan` under the same hook shows the hook bites.
import t from 'tap';
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const FORBIDDEN = String.raw`^(@aws-sdk\/|@smithy\/|@kubernetes\/client-node)`;

function hookFiles(dir: string): string {
  writeFileSync(join(dir, 'forbid-hooks.mjs'), `
export async function resolve(specifier, context, nextResolve) {
  if (new RegExp(${JSON.stringify(FORBIDDEN)}).test(specifier)) throw new Error('forbidden import ' + specifier + ' from ' + context.parentURL);
  return nextResolve(specifier, context);
}
`);
  const register = join(dir, 'register.mjs');
  writeFileSync(register, `import { register } from 'node:module';\nregister(${JSON.stringify(pathToFileURL(join(dir, 'forbid-hooks.mjs')).href)});\n`);
  return register;
}

function runCli(args: string[], register: string, endpoint: string): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', '--import', pathToFileURL(register).href, 'src/cli.ts', ...args], {
      env: { ...process.env, AWS_ENDPOINT_URL: endpoint, AWS_REGION: 'ap-northeast-1', AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE', AWS_SECRET_ACCESS_KEY: 'secret', AWS_MAX_ATTEMPTS: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d) => { output += d; });
    child.stderr.on('data', (d) => { output += d; });
    const kill = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('error', reject);
    child.on('exit', (code) => {
      clearTimeout(kill);
      resolve({ code, output });
    });
  });
}

t.test('validate rejects the whole bad corpus without touching AWS', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'platformd-no-aws-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const register = hookFiles(dir);
  const requests: string[] = [];
  const server = createServer((req, res) => {
    requests.push(`${req.method} ${req.url}`);
    res.writeHead(500).end();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  t.teardown(() => server.close());
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const files = readdirSync('test/fixtures/specs/bad').filter((f) => f.endsWith('.yaml')).sort();
  t.ok(files.length >= 18, `the corpus is all there (${files.length} files)`);
  for (const file of files) {
    const path = `test/fixtures/specs/bad/${file}`;
    const protos = file === 'alb-path-too-long.yaml' ? ['--protos', 'test/fixtures/specs/long-path-protos'] : [];
    const { code, output } = await runCli(['validate', path, ...protos], register, endpoint);
    t.equal(code, 1, `${file}: rejected (exit 1)\n${output}`);
    t.match(output, new RegExp(`${path.replace(/\./g, '\\.')}:\\d+:\\d+: error: `), `${file}: file:line:column`);
    t.notMatch(output, /forbidden import/, `${file}: the AWS SDK was never loaded`);
  }
  t.same(requests, [], 'no request reached the AWS endpoint');

  // The same hook under `plan`, which does need AWS: it must refuse, or the checks above prove nothing.
  const plan = await runCli(['plan', 'specs/platform.yaml'], register, endpoint);
  t.not(plan.code, 0, 'plan cannot run without the SDK');
  t.match(plan.output, /forbidden import @aws-sdk\//, 'the hook caught plan loading the AWS SDK');
});
