// The HTTP contract through inject: every non-2xx answer has the one body shape
// {error: {code, message, details?}} (401, 404, 400, 413, 415 naming the accepted types, 422 with
// the diagnostics in details, 429 with retryAfter, 503, 500), and the /status schema passes every
// field the daemon puts there (instanceId, starting, outputs, and fields it does not know).
import t, { type Test } from 'tap';
import { build, type ServerDeps } from '../../../src/server/app.js';
import { createMetrics } from '../../../src/metrics.js';
import type { PlanResult } from '../../../src/engine.js';
import type { LightMyRequestResponse } from 'fastify';
import { createLogger } from '../../../src/log/logger.js';

const EMPTY: PlanResult = { plan: { platform: 'p', changes: [], summary: { create: 0, update: 0, delete: 0, replace: 0, blocked: 0 }, inSync: [], operatorActions: [], notes: [] },
  observed: new Map(), graph: { nodes: new Map(), deps: new Map(), order: [], external: new Map() } };
const SPEC = 'apiVersion: platformd.dev/v1alpha1\nkind: Platform\nmetadata: {name: x}\nregion: 5\n';

function deps(over: Partial<ServerDeps> = {}): ServerDeps {
  const metrics = createMetrics('test', 'apply');
  t.teardown(metrics.close);
  return {
    status: () => ({ commit: 'abc' }) as never, ready: () => true, registry: metrics.registry, current: () => undefined,
    plan: async () => EMPTY, protosDir: () => 'protos', trigger: () => {}, ...over,
  };
}

function errorOf(t: Test, res: LightMyRequestResponse, status: number, code: string): { code: string; message: string; details?: Record<string, unknown> } {
  t.equal(res.statusCode, status, `${code}: status ${status}`);
  t.match(res.headers['content-type'], /^application\/json/, `${code}: JSON`);
  const body = res.json() as { error: { code: string; message: string; details?: Record<string, unknown> } };
  t.same(Object.keys(body), ['error'], `${code}: only the error object`);
  t.equal(body.error.code, code);
  t.type(body.error.message, 'string');
  t.ok(body.error.message.length > 0, `${code}: a message`);
  return body.error;
}

const yaml = { 'content-type': 'application/yaml' };
const current = { spec: {} as never, protosDir: 'protos', commit: 'c0ffee' };

t.test('every refusal has the one error body', async (t) => {
  const app = build(deps({ apiToken: 'tok-123', webhookSecret: 'hook-secret', bodyLimitBytes: 200 }));
  const auth = { authorization: 'Bearer tok-123' };
  const unauthorized = errorOf(t, await app.inject({ method: 'POST', url: '/reconcile' }), 401, 'unauthorized');
  t.notMatch(JSON.stringify(unauthorized), /tok-123/, 'the token is never echoed');
  errorOf(t, await app.inject({ url: '/plan' }), 401, 'unauthorized');
  errorOf(t, await app.inject({ method: 'POST', url: '/hooks/git', payload: '{}' }), 401, 'unauthorized');
  t.match(errorOf(t, await app.inject({ url: '/nowhere?x=1' }), 404, 'not_found').message, 'GET /nowhere');
  errorOf(t, await app.inject({ method: 'POST', url: '/plan', headers: { ...yaml, ...auth }, payload: 'x'.repeat(500) }), 413, 'body_too_large');
  const unsupported = errorOf(t, await app.inject({ method: 'POST', url: '/plan', headers: { 'content-type': 'application/x-www-form-urlencoded', ...auth }, payload: 'a=1' }), 415, 'unsupported_media_type');
  t.match(unsupported.message, /application\/yaml/, '415 names the accepted types');
  t.same(unsupported.details?.accepts, ['application/yaml', 'application/x-yaml', 'text/yaml', 'text/plain', 'application/json']);
  const invalid = errorOf(t, await app.inject({ method: 'POST', url: '/plan', headers: { ...yaml, ...auth }, payload: SPEC }), 422, 'invalid_spec');
  t.match((invalid.details as { diagnostics: unknown[] }).diagnostics[0], { line: 4, column: 9, code: String, severity: 'error', message: String });
  errorOf(t, await app.inject({ method: 'POST', url: '/plan', headers: { ...yaml, ...auth }, payload: '  ' }), 400, 'bad_request');
  t.match(errorOf(t, await app.inject({ url: '/plan?format=yaml', headers: auth }), 400, 'bad_request').details, { context: 'querystring' });
  errorOf(t, await app.inject({ url: '/plan', headers: auth }), 503, 'no_valid_spec');
});

t.test('503 while starting, 404 for webhooks without a secret', async (t) => {
  const app = build(deps({ ready: () => false, notReadyReason: () => 'fetching the repository for the first time' }));
  t.equal(errorOf(t, await app.inject({ url: '/readyz' }), 503, 'not_ready').message, 'fetching the repository for the first time');
  errorOf(t, await app.inject({ method: 'POST', url: '/hooks/git', payload: '{}' }), 404, 'webhooks_not_configured');
  t.same((await app.inject({ url: '/healthz' })).json(), { status: 'ok' });
});

t.test('a failing plan is a 500 with its cause chain; a full queue is a 429 with retryAfter', async (t) => {
  const failing = build(deps({ current: () => current, plan: async () => { throw new Error('observe network/vpc failed', { cause: new Error('AccessDenied: no') }); } }));
  t.match(errorOf(t, await failing.inject({ url: '/plan' }), 500, 'internal').message, /observe network\/vpc failed: AccessDenied: no/);

  let release = () => {};
  const gate = new Promise<void>((resolve) => { release = resolve; });
  const slow = build(deps({ current: () => current, plan: async () => { await gate; return EMPTY; } }));
  // One plan runs and four queue behind it; ask until a request is turned away (each waits only
  // to tell a held request from an answered one: a late answer is still checked below).
  const held: Promise<LightMyRequestResponse>[] = [];
  let busy: LightMyRequestResponse | undefined;
  for (let i = 0; i < 50 && !busy; i++) {
    const asked = slow.inject({ url: '/plan?format=json' });
    const answered = await Promise.race([asked, new Promise<undefined>((resolve) => { setTimeout(() => resolve(undefined), 200); })]);
    if (answered?.statusCode === 429) busy = answered;
    else held.push(asked);
  }
  t.ok(busy, 'a request beyond the queue is turned away');
  const error = errorOf(t, busy!, 429, 'busy');
  t.same(error.details, { retryAfter: 5 });
  t.equal(busy!.headers['retry-after'], '5');
  release();
  for (const res of await Promise.all(held)) t.ok(res.statusCode === 200 || res.statusCode === 429, `held requests are planned or turned away (${res.statusCode})`);
});

t.test('a 500 is reported in the daemon log; ordinary requests are not', async (t) => {
  const lines: Record<string, unknown>[] = [];
  const logger = createLogger({ format: 'json', destination: { write: (s: string) => { for (const l of s.split('\n').filter(Boolean)) lines.push(JSON.parse(l) as Record<string, unknown>); } } });
  const app = build(deps({ logger, current: () => current, plan: async () => { throw new Error('observe eks/cluster failed', { cause: new Error('Throttling') }); } }));
  await app.inject({ url: '/healthz' });
  t.equal(lines.length, 0, 'no line per request');
  await app.inject({ url: '/plan' });
  t.match(lines, [{ level: 'error', component: 'http', msg: 'request failed', err: { message: 'observe eks/cluster failed' } }]);
});

t.test('POST /plan takes the spec as YAML or JSON and answers the plan', async (t) => {
  const app = build(deps());
  const asJson = await app.inject({ method: 'POST', url: '/plan?format=json', headers: { 'content-type': 'application/json' },
    payload: JSON.stringify({ apiVersion: 'platformd.dev/v1alpha1', kind: 'Platform', metadata: { name: 'x' }, region: 5 }) });
  t.equal(asJson.statusCode, 422, 'a JSON spec is read by the spec loader (and this one is invalid)');
  t.match(asJson.json().error.details.diagnostics[0], { message: /region/i });
});

t.test('/status passes every field the daemon sets, known or not', async (t) => {
  const full = {
    instanceId: 'demo-1234', mode: 'apply', branch: 'main', commit: null, spec: { valid: false, commit: 'x', lastGoodCommit: null, diagnostics: [{ file: 'a', line: 1, column: 2 }] },
    conditions: [{ type: 'Ready', status: 'False', reason: 'R', message: 'm', lastTransitionTime: 't' }], lastAppliedRevision: null, lastAttemptedRevision: 'main@sha1:x',
    reconciles: [{ outcome: 'failure', failures: [{ id: 'a', error: 'b' }] }], lastReconcile: null, lastSuccessAt: null, retry: { consecutiveFailures: 1, delayMs: 5000, at: 't' },
    reconciling: false, resources: [{ id: 'network/vpc', drift: [{ path: 'tags.Name', old: 'a', new: 'b' }] }], operatorActions: [], probes: [],
    source: { lastFetchAt: null, lastFetchError: null, fetches: 1 }, outputs: { albDnsName: 'x.elb.amazonaws.com', nameServers: ['ns-1'] },
    somethingNew: { nested: { deep: [1, 'two', null] } },
  };
  const app = build(deps({ status: () => full as never }));
  t.same((await app.inject({ url: '/status' })).json(), full, 'nothing dropped or coerced');
  const starting = build(deps({ status: () => ({ starting: 'fetching the repository for the first time', instanceId: 'i', outputs: null }) as never }));
  t.same((await starting.inject({ url: '/status' })).json(), { starting: 'fetching the repository for the first time', instanceId: 'i', outputs: null });
});
