import t from 'tap';
import { walkGraph } from '../../../src/apply/walk.js';

const tick = () => new Promise((r) => setTimeout(r, 5));

t.test('never runs more nodes at once than the concurrency bound', async (t) => {
  let running = 0;
  let peak = 0;
  const nodes = Array.from({ length: 12 }, (_, i) => ({ id: `n${i}`, deps: [] }));
  const result = await walkGraph(nodes, async () => {
    running++;
    peak = Math.max(peak, running);
    await tick();
    running--;
  }, { concurrency: 3 });
  t.equal(result.succeeded.length, 12);
  t.equal(peak, 3);
});

t.test('starts a node only after its dependencies succeeded', async (t) => {
  const order: string[] = [];
  await walkGraph([{ id: 'subnet', deps: ['vpc'] }, { id: 'vpc', deps: [] }, { id: 'route', deps: ['subnet', 'vpc'] }], async (id) => {
    await tick();
    order.push(id);
  }, { concurrency: 8 });
  t.same(order, ['vpc', 'subnet', 'route']);
});

t.test('a failure skips its dependents, reports the root cause only, and independent branches finish', async (t) => {
  const result = await walkGraph([
    { id: 'vpc', deps: [] },
    { id: 'subnet', deps: ['vpc'] },
    { id: 'route', deps: ['subnet'] },
    { id: 'role', deps: [] },
  ], async (id) => {
    if (id === 'vpc') throw new Error('VpcLimitExceeded');
  }, { concurrency: 2 });
  t.same(result.failed.map((f) => f.id), ['vpc']);
  t.match(result.failed[0]!.error, /VpcLimitExceeded/);
  t.same(result.skipped.map((s) => s.id).sort(), ['route', 'subnet']);
  t.ok(result.skipped.every((s) => s.because === 'vpc failed'), 'skips name the root cause');
  t.same(result.succeeded, ['role']);
});

t.test('an aborted walk starts nothing new', async (t) => {
  const ac = new AbortController();
  const seen: string[] = [];
  const result = await walkGraph([{ id: 'a', deps: [] }, { id: 'b', deps: ['a'] }], async (id) => {
    seen.push(id);
    ac.abort();
  }, { concurrency: 1, signal: ac.signal });
  t.same(seen, ['a']);
  t.same(result.skipped.map((s) => s.id), ['b']);
});

t.test('ready nodes start in node order, also when they become ready out of order', async (t) => {
  const started: string[] = [];
  // c and d both wait for slow a; e waits for fast b: with one slot, ready nodes go lowest order first.
  await walkGraph([
    { id: 'a', deps: [] }, { id: 'b', deps: [] }, { id: 'c', deps: ['a'] }, { id: 'd', deps: ['a', 'b'] }, { id: 'e', deps: ['b'] }, { id: 'f', deps: [] },
  ], async (id) => {
    started.push(id);
    await tick();
  }, { concurrency: 1 });
  t.same(started, ['a', 'b', 'c', 'd', 'e', 'f']);
});

t.test('a failure skips everything downstream of it, however deep, and nothing else', async (t) => {
  const n = 2000;
  // A long chain with side branches: root ← n1 ← n2 ← …; each ni also has a sibling leaf si.
  const nodes = [{ id: 'root', deps: [] as string[] }, { id: 'other', deps: [] as string[] }];
  for (let i = 1; i <= n; i++) nodes.push({ id: `n${i}`, deps: [i === 1 ? 'root' : `n${i - 1}`] }, { id: `s${i}`, deps: [`n${i}`, 'other'] });
  const result = await walkGraph(nodes, async (id) => {
    if (id === 'root') throw new Error('boom');
  }, { concurrency: 4 });
  t.same(result.succeeded, ['other']);
  t.equal(result.skipped.length, 2 * n);
  t.ok(result.skipped.every((s) => s.because === 'root failed'));
});
