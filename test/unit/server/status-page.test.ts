// The status page through inject with a fake daemon: every resource by layer with its state as a
// word, drift paths, failures with their reason, hostile text escaped, the probes' charts, the
// fragment the page re-fetches, the CSP, and the token not needed (like /status).
import t from 'tap';
import { build, type ServerDeps } from '../../../src/server/app.js';
import { createMetrics } from '../../../src/metrics.js';
import type { DaemonStatus } from '../../../src/daemon-status.js';
import type { PlanResult } from '../../../src/engine.js';
import { ProbeHistory } from '../../../src/probe/history.js';

const HOSTILE = '<script>alert("x")</script>';

function status(): DaemonStatus {
  const at = new Date().toISOString();
  return {
    mode: 'apply', branch: 'main', commit: '0123456789abcdef0123456789abcdef01234567',
    spec: { valid: true, commit: null, lastGoodCommit: null, diagnostics: [] },
    conditions: [{ type: 'Ready', status: 'False', reason: 'ApplyFailed', message: `failed: ${HOSTILE}`, lastTransitionTime: at }],
    lastAppliedRevision: null, lastAttemptedRevision: null, lastSuccessAt: null, retry: null, reconciling: false,
    reconciles: [], lastReconcile: null,
    resources: [
      { id: 'network/vpc', kind: 'ec2/vpc', physicalId: 'vpc-1', state: 'in-sync', drift: [] },
      { id: 'edge/alb/grpc-demo', kind: 'elbv2/alb', physicalId: 'arn', state: 'drifted', drift: [{ path: 'rules[1].conditions', old: null, new: ['/a'] }] },
      { id: `kube/ConfigMap/default/${HOSTILE}`, kind: 'kube/ConfigMap', physicalId: null, state: 'missing', drift: [] },
      { id: 'eks/cluster', kind: 'eks/cluster', physicalId: null, state: 'missing', drift: [] },
      { id: 'edge/hosted-zone', kind: 'route53/hosted-zone', physicalId: null, state: 'blocked', drift: [], reason: 'deletion not allowed' },
    ],
    operatorActions: [{ id: 'dns', summary: 'Delegate example.com', detail: `NS ns-1.example ${HOSTILE}` }],
    probes: [{ service: 'greeter', target: 'dns:///grpc.example.com:443', method: '/helloworld.Greeter/SayHello', success: false, grpcStatus: 12, message: HOSTILE, durationMs: 3, at }],
    source: { lastFetchAt: null, lastFetchError: null, fetches: 0 },
  };
}

function deps(s: DaemonStatus, history: ProbeHistory): ServerDeps {
  const plan = { plan: { platform: 'p', changes: [], summary: { create: 0, update: 0, delete: 0, replace: 0, blocked: 0 }, inSync: [], operatorActions: [], notes: [] },
    observed: new Map(), graph: { nodes: new Map(), deps: new Map(), order: [], external: new Map() } } as PlanResult;
  const metrics = createMetrics('test', 'apply');
  t.teardown(metrics.close);
  return { status: () => s, probeHistory: () => history.series(), ready: () => true, registry: metrics.registry, current: () => undefined,
    plan: async () => plan, protosDir: () => 'protos', trigger: () => {}, apiToken: 'secret-token' };
}

t.test('the page shows every resource by layer with its state, and escapes what it renders', async (t) => {
  const s = status();
  s.lastReconcile = { trigger: 'poll', revision: `main@sha1:${s.commit}`, startedAt: new Date().toISOString(), finishedAt: new Date().toISOString(), durationMs: 2500,
    outcome: 'failure', changes: 3, pending: 3, applied: [], failures: [{ id: 'eks/cluster', error: `CreateCluster refused: ${HOSTILE}` }], skipped: [] };
  s.reconciles = [s.lastReconcile];
  const history = new ProbeHistory();
  const now = Date.now();
  for (let i = 0; i < 5; i++) history.record('greeter', { at: new Date(now - (5 - i) * 1000).toISOString(), durationMs: 2 + i, success: i < 4, grpcStatus: i < 4 ? 0 : 12 });
  const app = build(deps(s, history));
  const res = await app.inject({ url: '/' });
  t.equal(res.statusCode, 200, 'open without the API token, like /status');
  t.match(res.headers['content-type'], /^text\/html; charset=utf-8/);
  t.match(res.headers['content-security-policy'], /script-src 'sha256-[A-Za-z0-9+/=]+'/);
  const body = res.body;
  t.notMatch(body, '<script>alert', 'no hostile markup survives');
  t.equal((body.match(/<script>/g) ?? []).length, 1, 'the page\'s own script only');
  t.match(body, '&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;', 'hostile text shown as text');
  t.match(body, /<html lang="en">/);
  t.match(body, /<noscript><meta http-equiv="refresh" content="\d+"><\/noscript>/, 'with scripts off the page reloads itself');
  t.match(body, /<label><input type="checkbox" id="pause"> Pause automatic updates<\/label>/, 'the pause control is labelled');
  const headings = [...body.matchAll(/<h([1-6])/g)].map((m) => Number(m[1]));
  t.ok(headings.every((level, i) => i === 0 ? level === 1 : level <= headings[i - 1]! + 1), `headings in order: ${headings.join(',')}`);
  const layers = [...body.matchAll(/<h3 id="layer-([a-z]+)"/g)].map((m) => m[1]);
  t.same(layers, ['network', 'eks', 'cluster', 'alb', 'dns'], 'layers in reading order');
  for (const r of s.resources) t.match(body, `data-state="${r.state}"`, `${r.id} carries its /status state`);
  t.match(body, /data-id="edge\/alb\/grpc-demo" data-state="drifted"[^]*?~ drifted[^]*?<code class="path">rules\[1\]\.conditions<\/code>/, 'drift with its field path');
  t.match(body, /data-id="eks\/cluster" data-state="missing" data-shown-state="failed"[^]*?✗ failed[^]*?CreateCluster refused/, 'a failure with its reason');
  t.match(body, /! blocked[^]*?deletion not allowed/);
  t.match(body, /Delegate example\.com/);
  t.match(body, /data-service="greeter"[^]*?<svg class="chart"[^>]*data-points="5"/, 'a chart per probe with the last hour of points');
  t.match(body, /12 UNIMPLEMENTED ×1/, 'status codes over the hour');
  t.match(body, /<th scope="col">/, 'table headers');

  const fragment = await app.inject({ url: '/status/fragment' });
  t.equal(fragment.statusCode, 200);
  t.notMatch(fragment.body, '<html', 'the fragment is only the content');
  t.match(fragment.body, 'data-id="network/vpc"');
  const json = (await app.inject({ url: '/status/probe-history' })).json() as { services: { service: string; points: unknown[] }[] };
  t.equal(json.services[0]?.points.length, 5);
});

t.test('before the first clone the page says what the daemon is doing', async (t) => {
  const app = build({ ...deps(status(), new ProbeHistory()), status: () => ({ starting: 'fetching the repository for the first time' }) as never });
  const res = await app.inject({ url: '/' });
  t.equal(res.statusCode, 200);
  t.match(res.body, 'fetching the repository for the first time');
});

t.test('probe history is bounded per service and keeps the last hour, oldest first', async (t) => {
  const history = new ProbeHistory(3, 60_000);
  const now = Date.now();
  for (let i = 0; i < 5; i++) history.record('a', { at: new Date(now - 1000 * (5 - i)).toISOString(), durationMs: i, success: true, grpcStatus: 0 });
  history.record('b', { at: new Date(now - 120_000).toISOString(), durationMs: 1, success: true, grpcStatus: 0 });
  t.same(history.series(now).map((s) => [s.service, s.points.map((p) => p.durationMs)]), [['a', [2, 3, 4]], ['b', []]], 'ring of 3; older than the window dropped');
  history.forget('a');
  t.same(history.series(now).map((s) => s.service), ['b']);
});

t.test('text colours reach WCAG AA contrast (4.5:1) on the page\'s backgrounds', async (t) => {
  const s = status();
  const body = (await build(deps(s, new ProbeHistory())).inject({ url: '/' })).body;
  const style = /<style>([^]*?)<\/style>/.exec(body)![1]!;
  const long = (hex: string) => (hex.length === 4 ? `#${[...hex.slice(1)].map((c) => c + c).join('')}` : hex);
  const vars = new Map([...style.matchAll(/--([a-z]+):(#[0-9a-f]{6}|#[0-9a-f]{3})\b/g)].map((m) => [m[1]!, long(m[2]!)]));
  // WCAG 2.x relative luminance and contrast ratio (https://www.w3.org/TR/WCAG22/#dfn-contrast-ratio).
  const luminance = (hex: string) => {
    const [r, g, b] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255).map((c) => (c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4));
    return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
  };
  const contrast = (a: string, b: string) => { const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x); return (hi! + 0.05) / (lo! + 0.05); };
  const backgrounds = [vars.get('bg')!, ...[...style.matchAll(/background:(#[0-9a-f]{6})/g)].map((m) => m[1]!)];
  t.ok(backgrounds.length >= 2, `backgrounds ${backgrounds.join(' ')}`);
  for (const name of ['fg', 'muted', 'ok', 'warn', 'bad', 'block']) {
    for (const bg of backgrounds) t.ok(contrast(vars.get(name)!, bg) >= 4.5, `--${name} ${vars.get(name)} on ${bg}: ${contrast(vars.get(name)!, bg).toFixed(2)}:1`);
  }
});
