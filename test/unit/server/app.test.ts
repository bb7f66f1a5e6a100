// The HTTP surface with fake dependencies, through fastify's inject.
import t from 'tap';
import { build, type ServerDeps } from '../../../src/server/app.js';
import { createMetrics } from '../../../src/metrics.js';
import type { PlanResult } from '../../../src/engine.js';

function deps(over: Partial<ServerDeps> = {}): ServerDeps & { triggers: string[] } {
  const triggers: string[] = [];
  const plan: PlanResult = { plan: { platform: 'p', changes: [], summary: { create: 0, update: 0, delete: 0, replace: 0, blocked: 0 }, inSync: [], operatorActions: [], notes: [] },
    observed: new Map(), graph: { nodes: new Map(), deps: new Map(), order: [], external: new Map() } };
  const metrics = createMetrics('test', 'apply');
  t.teardown(metrics.close);
  return {
    triggers,
    status: () => ({ commit: 'abc' }) as never,
    ready: () => true,
    registry: metrics.registry,
    current: () => undefined,
    plan: async () => plan,
    protosDir: () => 'protos',
    trigger: (k) => triggers.push(k),
    ...over,
  };
}

t.test('POST endpoints need the bearer token when one is configured, and never echo it', async (t) => {
  const d = deps({ apiToken: 'tok-123' });
  const app = build(d);
  const denied = await app.inject({ method: 'POST', url: '/reconcile' });
  t.equal(denied.statusCode, 401);
  t.notMatch(denied.body, 'tok-123');
  t.equal((await app.inject({ method: 'POST', url: '/reconcile', headers: { authorization: 'Bearer nope' } })).statusCode, 401);
  t.equal((await app.inject({ method: 'POST', url: '/reconcile', headers: { authorization: 'Bearer tok-123' } })).statusCode, 202);
  t.same(d.triggers, ['manual']);
});

t.test('POST /plan answers 422 with line and column for an invalid spec', async (t) => {
  const app = build(deps());
  const res = await app.inject({ method: 'POST', url: '/plan', headers: { 'content-type': 'application/yaml' }, payload: 'apiVersion: platformd.dev/v1alpha1\nkind: Platform\nmetadata: {name: x}\nregion: 5\n' });
  t.equal(res.statusCode, 422);
  t.match(res.json(), { error: { code: 'invalid_spec', message: /invalid \(1 error\)/ } });
  t.match(res.json().error.details.diagnostics[0], { line: 4, column: 9 });
});

t.test('bodies over the limit are refused', async (t) => {
  const app = build(deps({ bodyLimitBytes: 100 }));
  const res = await app.inject({ method: 'POST', url: '/plan', headers: { 'content-type': 'application/yaml' }, payload: 'x'.repeat(500) });
  t.equal(res.statusCode, 413);
});

t.test('GET /plan before any valid spec is 503; health and readiness answer', async (t) => {
  const app = build(deps({ ready: () => false }));
  t.equal((await app.inject({ url: '/plan' })).statusCode, 503);
  t.equal((await app.inject({ url: '/healthz' })).statusCode, 200);
  t.equal((await app.inject({ url: '/readyz' })).statusCode, 503);
  t.match((await app.inject({ url: '/metrics' })).body, /platformd_spec_valid 1/);
});
