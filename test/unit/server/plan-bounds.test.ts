// /plan is bounded: behind the token for GET and POST, one plan at a time with a short queue and
// 429 + Retry-After beyond it, a plan cancelled when its client leaves, and pathological specs
// answered with capped diagnostics without stalling the event loop. Over real loopback HTTP.
import t, { type Test } from 'tap';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { readFileSync } from 'node:fs';
import { request } from 'node:http';
import { build, type ServerDeps } from '../../../src/server/app.js';
import { createMetrics } from '../../../src/metrics.js';
import type { PlanResult } from '../../../src/engine.js';
import { withDefaults } from '../../../src/platform-spec/defaults.js';
import { loadSpecText } from '../../../src/platform-spec/load.js';
import { MAX_DIAGNOSTICS } from '../../../src/platform-spec/bounds.js';

const TOKEN = 'plan-token-1';

/**
 * fetch, sent again once when a kept-alive connection was reset under it: on a loaded machine the
 * client may reuse a socket the server has just closed as idle (keep-alive 5 s), and GET is
 * idempotent; every HTTP client retries that case. A second reset fails the test.
 */
async function idempotentFetch(url: string, init?: RequestInit): Promise<Response> {
  try {
    return await fetch(url, init);
  } catch (err) {
    if ((err as { cause?: { code?: string } }).cause?.code !== 'ECONNRESET') throw err;
    return fetch(url, init);
  }
}
const auth = { authorization: `Bearer ${TOKEN}` };
const emptyPlan: PlanResult = { plan: { platform: 'p', changes: [], summary: { create: 0, update: 0, delete: 0, replace: 0, blocked: 0 }, inSync: [], operatorActions: [], notes: [] },
  observed: new Map(), graph: { nodes: new Map(), deps: new Map(), order: [], external: new Map() } };

async function server(t: Test, plan: ServerDeps['plan']) {
  const metrics = createMetrics('test', 'apply');
  t.teardown(metrics.close);
  const loaded = loadSpecText(readFileSync('specs/platform.yaml', 'utf8'), 'platform.yaml', { protosDir: 'protos' });
  if (!loaded.ok) throw new Error('reference spec invalid');
  const app = build({
    status: () => ({}) as never, ready: () => true, registry: metrics.registry, protosDir: () => 'protos', trigger: () => {},
    current: () => ({ spec: withDefaults(loaded.spec), protosDir: 'protos', commit: 'abc' }), plan, apiToken: TOKEN,
  });
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  t.teardown(() => app.close());
  return url;
}

t.test('GET and POST /plan need the token', async (t) => {
  const url = await server(t, async () => emptyPlan);
  t.equal((await fetch(`${url}/plan`)).status, 401);
  t.equal((await fetch(`${url}/plan`, { method: 'POST', body: 'x: 1', headers: { 'content-type': 'application/yaml' } })).status, 401);
  t.equal((await fetch(`${url}/plan`, { headers: auth })).status, 200);
});

t.test('1000 concurrent /plan requests: one plan at a time, the rest queued or refused with Retry-After, /healthz answers throughout', async (t) => {
  let running = 0;
  let most = 0;
  let plans = 0;
  const url = await server(t, async () => {
    running++;
    plans++;
    most = Math.max(most, running);
    await new Promise((r) => setTimeout(r, 20));
    running--;
    return emptyPlan;
  });
  const health: number[] = [];
  let storm = true;
  const probeHealth = (async () => {
    while (storm) {
      const started = performance.now();
      const res = await idempotentFetch(`${url}/healthz`);
      health.push(performance.now() - started);
      if (!res.ok) throw new Error('/healthz failed');
      await new Promise((r) => setTimeout(r, 10));
    }
  })();
  const rssBeforeMb = process.memoryUsage().rss / 1024 / 1024;
  const statuses = await Promise.all(Array.from({ length: 1000 }, () => idempotentFetch(`${url}/plan`, { headers: auth, method: 'GET' })
    .then(async (r) => ({ status: r.status, retryAfter: r.headers.get('retry-after'), body: await r.text() }))));
  storm = false;
  await probeHealth;
  const ok = statuses.filter((s) => s.status === 200).length;
  const busy = statuses.filter((s) => s.status === 429);
  t.equal(ok + busy.length, 1000, 'every request is answered: a plan or 429');
  t.ok(busy.length > 0, `${busy.length} refused with 429`);
  t.ok(busy.every((s) => s.retryAfter === '5'), 'each 429 says when to retry');
  t.equal(most, 1, 'never more than one plan at once');
  t.equal(plans, ok, 'a plan ran for each answered request, no more (AWS calls bounded by the cap)');
  health.sort((a, b) => a - b);
  const p99 = health[Math.floor(health.length * 0.99)] ?? 0;
  t.comment(`/healthz during the storm: ${health.length} answers, p99 ${p99.toFixed(1)} ms`);
  t.ok(health.length > 0, '/healthz answered during the storm');
  // Server and the 1000 clients share this process (tsx included), so its RSS is not the daemon's:
  // the bound is on the growth during the storm, and catches the runaway the issue measured
  // (1.46 GB for 1000 POSTs); the figure is printed.
  const rssMb = process.memoryUsage().rss / 1024 / 1024;
  t.comment(`RSS before the storm ${rssBeforeMb.toFixed(0)} MB, after ${rssMb.toFixed(0)} MB (server and clients in one process)`);
  t.ok(rssMb - rssBeforeMb < 250, 'memory stays bounded (RSS grows by less than 250 MB)');
});

t.test('a queued plan whose client goes away is cancelled and never runs', async (t) => {
  let release!: () => void;
  const ran: string[] = [];
  const url = await server(t, async (_spec, _dir, signal) => {
    ran.push('plan');
    if (ran.length === 1) await new Promise<void>((r) => { release = r; });
    signal?.throwIfAborted();
    return emptyPlan;
  });
  const first = fetch(`${url}/plan`, { headers: auth });
  while (ran.length === 0) await new Promise((r) => setTimeout(r, 5));
  const leaver = new AbortController();
  const second = fetch(`${url}/plan`, { headers: auth, signal: leaver.signal }).catch(() => 'aborted');
  await new Promise((r) => setTimeout(r, 50));
  leaver.abort();
  t.equal(await second, 'aborted');
  await new Promise((r) => setTimeout(r, 50));
  release();
  t.equal((await first).status, 200);
  t.same(ran, ['plan'], 'the abandoned plan never ran');
});

t.test('pathological POSTed specs: capped diagnostics, and the event loop keeps turning', async (t) => {
  const url = await server(t, async () => emptyPlan);
  const ref = readFileSync('specs/platform.yaml', 'utf8');
  const service = (i: number) => `  - name: s${i}\n    image: x\n    port: 50051\n    grpcService: routeguide.RouteGuide\n    replica: 3\n    bogus${i}: 1\n`;
  const bodies: Record<string, string> = {
    'nearly 1 MiB of [': '['.repeat(1024 * 1024 - 100),
    'thousands of invalid services': ref.replace(/services:[\s\S]*?(?=\n\w)/, `services:\n${Array.from({ length: 7000 }, (_, i) => service(i)).join('')}`).slice(0, 1024 * 1024 - 100),
    'an alias bomb': 'a: &a [x,x,x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: [*c,*c,*c,*c,*c,*c,*c,*c,*c,*c]\n',
  };
  for (const [what, body] of Object.entries(bodies)) {
    const delay = monitorEventLoopDelay({ resolution: 10 });
    delay.enable();
    const res = await fetch(`${url}/plan`, { method: 'POST', body, headers: { ...auth, 'content-type': 'application/yaml' } });
    delay.disable();
    const { diagnostics } = ((await res.json()) as { error: { details: { diagnostics: { message: string }[] } } }).error.details;
    t.equal(res.status, 422, `${what}: 422`);
    t.ok(diagnostics.length <= MAX_DIAGNOSTICS + 1, `${what}: ${diagnostics.length} diagnostics`);
    const longestMs = delay.max / 1e6;
    t.comment(`${what}: ${(body.length / 1024).toFixed(0)} KiB, longest event-loop pause ${longestMs.toFixed(0)} ms`);
    // Parsing runs in a worker; in the main thread only the body is read. The bound is generous
    // (a loaded machine), the figure is printed; before, these took seconds of one blocked loop.
    t.ok(longestMs < 1_000, `${what}: the event loop was never blocked for long`);
  }
  // Declared too large, the body is refused from its Content-Length before it is read; the client
  // sends only a first chunk, so a refusal that closes the connection cannot race the upload.
  const tooBig = await new Promise<number>((resolve, reject) => {
    const req = request(`${url}/plan`, { method: 'POST', headers: { ...auth, 'content-type': 'application/yaml', 'content-length': String(1024 * 1024 + 10) } },
      (res) => { res.resume(); resolve(res.statusCode ?? 0); });
    req.on('error', reject);
    req.write('a'.repeat(1024));
  });
  t.equal(tooBig, 413, 'over 1 MiB is refused before parsing');
});
