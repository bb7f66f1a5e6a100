import t from 'tap';
import { topoOrder } from '../../../src/graph/order.js';

t.test('orders dependencies first, keeping input order among equals', async (t) => {
  const deps = new Map([['subnet/a', new Set(['vpc'])], ['subnet/b', new Set(['vpc'])], ['vpc', new Set<string>()]]);
  t.same(topoOrder(['subnet/a', 'subnet/b', 'vpc'], deps), ['vpc', 'subnet/a', 'subnet/b']);
});

t.test('names the ids of a cycle', async (t) => {
  const deps = new Map([['a', new Set(['b'])], ['b', new Set(['c'])], ['c', new Set(['a'])], ['d', new Set<string>()]]);
  t.throws(() => topoOrder(['a', 'b', 'c', 'd'], deps), { code: 'PLATFORMD_GRAPH_CYCLE', message: /a → b → c → a/ });
});
