// `platformd plan` (the built CLI) against endpoints that are not a working AWS: an HTML 404,
// an HTML 500, nothing listening, and the sandbox with an unknown access key. Each ends the plan
// with exit 1 and one line naming the operation and the cause, and nothing is created.
import t from 'tap';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startCli, type CliProcess } from '../helpers/cli.js';

/** Acceptance bound (issue 14): each case ends within 30 s; a hang fails here instead of at tap's timeout. */
const PLAN_DEADLINE_MS = 30_000;
/** Operation names of calls that would create or change something. */
const WRITES = /^(Create|Request|Put|Change|Allocate|Associate|Attach|Add|Tag|Run|Register|Update|Modify)/;

async function planToExit(endpoint: string, credentials = { AWS_ACCESS_KEY_ID: 'AKIASANDBOXEXAMPLE01', AWS_SECRET_ACCESS_KEY: 'sandbox-secret-access-key-not-a-real-secret' }): Promise<{ code: number | null; stderr: string }> {
  const cli: CliProcess = startCli(['plan', 'specs/platform.yaml'], { AWS_ENDPOINT_URL: endpoint, AWS_REGION: 'ap-northeast-1', ...credentials });
  let stderr = '';
  cli.child.stderr!.on('data', (d) => { stderr += d; });
  const code = await new Promise<number | null>((done, fail) => {
    const timer = setTimeout(() => {
      cli.child.kill('SIGKILL');
      fail(new Error(`plan did not end within ${PLAN_DEADLINE_MS} ms:\n${cli.output().slice(-2000)}`));
    }, PLAN_DEADLINE_MS);
    cli.child.once('exit', (c) => {
      clearTimeout(timer);
      done(c);
    });
  });
  return { code, stderr };
}

/** The one error line: the CLI prefixes it with "platformd:" (the SDK's Node-version warning is not ours). */
function errorLines(stderr: string): string[] {
  return stderr.split('\n').filter((l) => l.startsWith('platformd:'));
}

/** A plain HTTP server answering every request with `status` and an HTML page; records what was asked. */
async function htmlServer(status: number): Promise<{ url: string; asked: string[]; close: () => Promise<void> }> {
  const asked: string[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (d) => { body += d; });
    req.on('end', () => {
      asked.push(`${req.method} ${req.url} ${req.headers['x-amz-target'] ?? ''} ${new URLSearchParams(body).get('Action') ?? ''}`);
      res.writeHead(status, { 'content-type': 'text/html' });
      res.end(`<!DOCTYPE html><html><body><h1>${status}</h1></body></html>`);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    asked,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

for (const status of [404, 500]) {
  t.test(`an endpoint answering HTML ${status} to everything`, async (t) => {
    const server = await htmlServer(status);
    t.teardown(server.close);
    const run = await planToExit(server.url);
    t.equal(run.code, 1, 'plan fails');
    const lines = errorLines(run.stderr);
    t.equal(lines.length, 1, `one error line:\n${run.stderr}`);
    t.match(lines[0], new RegExp(`(ec2|iam|eks|acm|ecr|route53|elbv2|sts):[A-Z]\\w+: HTTP ${status} from ${server.url} with an HTML page`), 'names the operation, the status and the endpoint');
    t.notMatch(run.stderr, /Unexpected token|UnknownError|SyntaxError/, 'no parser noise');
    t.notOk(server.asked.some((a) => /Action=Create|Create|Request/.test(a.split(' ').slice(2).join(' '))), 'no create was sent');
  });
}

t.test('an endpoint with nothing listening', async (t) => {
  const server = await htmlServer(200);
  await server.close();
  const run = await planToExit(server.url);
  t.equal(run.code, 1, 'plan fails');
  const lines = errorLines(run.stderr);
  t.equal(lines.length, 1, `one error line:\n${run.stderr}`);
  t.match(lines[0], new RegExp(`(ec2|iam|eks|acm|ecr|route53|elbv2|sts):[A-Z]\\w+: cannot reach ${server.url}: connect ECONNREFUSED`), 'names the operation and the address');
});

t.test('the sandbox with an unknown access key', async (t) => {
  const sandbox = startCli(['sandbox', '--port', '0', '--time-scale', '0']);
  t.teardown(() => sandbox.stop());
  const endpoint = (await sandbox.waitFor(/listening on (http:\/\/127\.0\.0\.1:\d+)/))[1]!;
  const run = await planToExit(endpoint, { AWS_ACCESS_KEY_ID: 'AKIAUNKNOWNKEY000001', AWS_SECRET_ACCESS_KEY: 'not-the-secret' });
  t.equal(run.code, 1, 'plan fails');
  const lines = errorLines(run.stderr);
  t.equal(lines.length, 1, `one error line:\n${run.stderr}`);
  t.match(lines[0], /(ec2|iam|eks|acm|ecr|route53|elbv2|sts):[A-Z]\w+: (AuthFailure|InvalidClientTokenId|UnrecognizedClientException): /, 'names the operation and the refusal');
  const calls = (await (await fetch(`${endpoint}/_sandbox/calls`)).json()) as { operation: string; status: number; errorCode?: string }[];
  t.ok(calls.length > 0, 'the plan reached the sandbox');
  t.same(calls.filter((c) => WRITES.test(c.operation)), [], 'no create or change call');
  t.same(calls.filter((c) => c.status < 400), [], 'every call was refused');
});
