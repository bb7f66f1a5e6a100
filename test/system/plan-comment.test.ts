// The CI examples' script (ops/ci/post-plan-comment.mjs, used by ops/github and ops/gitlab) posts
// the daemon's Markdown plan as one comment per pull request and updates it on the next push,
// against fake GitHub and GitLab APIs on loopback and a daemon HTTP server with a fixed plan.
import t, { type Test } from 'tap';
import { execFile } from 'node:child_process';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { promisify } from 'node:util';
import { build } from '../../src/server/app.js';
import { createMetrics } from '../../src/metrics.js';
import type { PlanResult } from '../../src/engine.js';

const run = promisify(execFile);
const TOKEN = 'daemon-token';

async function daemon(t: Test, replicas: { n: number }): Promise<string> {
  const metrics = createMetrics('test', 'apply');
  t.teardown(metrics.close);
  const plan = (): PlanResult => ({ observed: new Map(), graph: { nodes: new Map(), deps: new Map(), order: [], external: new Map() },
    plan: { platform: 'grpc-demo', changes: [{ id: 'kube/Deployment/default/route-guide', kind: 'kube/Deployment', action: '~', reason: 'drift', dependsOn: [], fields: [{ path: 'spec.replicas', old: 2, new: replicas.n }] }],
      summary: { create: 0, update: 1, delete: 0, replace: 0, blocked: 0 }, inSync: [], operatorActions: [], notes: [] } });
  const app = build({ status: () => ({}) as never, ready: () => true, registry: metrics.registry, current: () => undefined, protosDir: () => 'protos',
    trigger: () => {}, plan: async () => plan(), apiToken: TOKEN });
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  t.teardown(() => app.close());
  return url;
}

interface Note { id: number; body: string }
/** A fake of the comment endpoints: GitHub's issue comments or GitLab's merge request notes. */
async function fakeApi(t: Test, auth: (req: IncomingMessage) => boolean): Promise<{ url: string; notes: Note[]; calls: string[] }> {
  const notes: Note[] = [{ id: 1, body: 'LGTM from a person' }];
  const calls: string[] = [];
  const server = createServer(async (req, res) => {
    let body = '';
    for await (const chunk of req) body += chunk;
    calls.push(`${req.method} ${req.url}`);
    if (!auth(req)) return void res.writeHead(401).end('{}');
    const url = new URL(req.url!, 'http://x');
    const idMatch = url.pathname.match(/\/(\d+)$/);
    const reply = (code: number, value: unknown) => res.writeHead(code, { 'content-type': 'application/json' }).end(JSON.stringify(value));
    if (req.method === 'GET') return reply(200, url.searchParams.get('page') === '1' ? notes : []);
    if (req.method === 'POST') { const n = { id: notes.length + 100, body: JSON.parse(body).body }; notes.push(n); return reply(201, n); }
    if ((req.method === 'PATCH' || req.method === 'PUT') && idMatch) {
      const n = notes.find((x) => x.id === Number(idMatch[1]));
      if (!n) return reply(404, {});
      n.body = JSON.parse(body).body;
      return reply(200, n);
    }
    reply(404, {});
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  t.teardown(() => new Promise<void>((r) => server.close(() => r())));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, notes, calls };
}

const script = (env: Record<string, string>) => run(process.execPath, ['ops/ci/post-plan-comment.mjs'], { env: { PATH: process.env.PATH!, SPEC_PATH: 'specs/platform.yaml', ...env } });

t.test('GitHub: one comment, created then updated; a person\'s comment untouched', async (t) => {
  const replicas = { n: 3 };
  const platformd = await daemon(t, replicas);
  const gh = await fakeApi(t, (req) => req.headers.authorization === 'Bearer gh-token');
  const env = { PLATFORMD_URL: platformd, PLATFORMD_API_TOKEN: TOKEN, GITHUB_TOKEN: 'gh-token', GITHUB_REPOSITORY: 'acme/platform', PR_NUMBER: '7', GITHUB_API_URL: gh.url };
  t.match((await script(env)).stdout, /created the plan comment/);
  t.equal(gh.notes.length, 2);
  t.match(gh.notes[1]!.body, /^<!-- platformd-plan -->\n### platformd plan for `grpc-demo`[\s\S]*spec\.replicas: 2 → 3/);
  replicas.n = 4;
  t.match((await script(env)).stdout, /updated the plan comment 101/);
  t.equal(gh.notes.length, 2, 'still one plan comment');
  t.match(gh.notes[1]!.body, /spec\.replicas: 2 → 4/, 'with the new plan');
  t.equal(gh.notes[0]!.body, 'LGTM from a person');
  t.ok(gh.calls.includes('PATCH /repos/acme/platform/issues/comments/101'));
  t.ok(gh.calls.every((c) => c.includes('/repos/acme/platform/issues/')), 'only the issue comment endpoints');
});

t.test('GitLab: one merge request note, created then updated', async (t) => {
  const platformd = await daemon(t, { n: 3 });
  const gl = await fakeApi(t, (req) => req.headers['private-token'] === 'gl-token');
  const env = { GITLAB_CI: 'true', PLATFORMD_URL: platformd, PLATFORMD_API_TOKEN: TOKEN, GITLAB_TOKEN: 'gl-token', CI_API_V4_URL: `${gl.url}/api/v4`, CI_PROJECT_ID: 'acme/platform', CI_MERGE_REQUEST_IID: '12' };
  await script(env);
  await script(env);
  t.equal(gl.notes.length, 2, 'one note added, then updated');
  t.ok(gl.calls.includes('PUT /api/v4/projects/acme%2Fplatform/merge_requests/12/notes/101'));
});

t.test('a wrong daemon token fails the job with the reason', async (t) => {
  const platformd = await daemon(t, { n: 3 });
  const gh = await fakeApi(t, () => true);
  const err = await script({ PLATFORMD_URL: platformd, PLATFORMD_API_TOKEN: 'wrong', GITHUB_TOKEN: 'x', GITHUB_REPOSITORY: 'a/b', PR_NUMBER: '1', GITHUB_API_URL: gh.url })
    .then(() => undefined, (e: { code: number; stderr: string }) => e);
  t.equal(err?.code, 1);
  t.match(err?.stderr, /POST \/plan: HTTP 401/);
  t.equal(gh.notes.length, 1, 'nothing posted');
});
