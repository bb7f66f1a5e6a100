// A signed webhook captured and replayed triggers nothing: deliveries are remembered by id
// (or, without one, by the hash of the signed body) for a window.
import t from 'tap';
import { createHmac } from 'node:crypto';
import { build } from '../../../src/server/app.js';
import { createMetrics } from '../../../src/metrics.js';

t.test('a replayed delivery is accepted once', async (t) => {
  const metrics = createMetrics('test', 'apply');
  t.teardown(metrics.close);
  const triggers: string[] = [];
  const secret = 'hook-secret';
  const app = build({ status: () => ({}) as never, ready: () => true, registry: metrics.registry, current: () => undefined,
    plan: async () => { throw new Error('no plan'); }, protosDir: () => 'protos', trigger: (k) => triggers.push(k), webhookSecret: secret });
  const post = (body: string, delivery?: string) => app.inject({ method: 'POST', url: '/hooks/git', payload: body, headers: {
    'content-type': 'application/json', 'x-github-event': 'push', ...(delivery ? { 'x-github-delivery': delivery } : {}),
    'x-hub-signature-256': `sha256=${createHmac('sha256', secret).update(body).digest('hex')}` } });
  const body = JSON.stringify({ ref: 'refs/heads/main', after: 'abc' });
  t.equal((await post(body, 'd-1')).statusCode, 202);
  const replay = await post(body, 'd-1');
  t.equal(replay.statusCode, 200);
  t.match(replay.json(), { status: /duplicate/ });
  t.equal((await post(body, 'd-2')).statusCode, 202, 'a new delivery of the same event is a new delivery');
  const anonymous = JSON.stringify({ ref: 'refs/heads/main', after: 'def' });
  t.equal((await post(anonymous)).statusCode, 202);
  t.equal((await post(anonymous)).statusCode, 200, 'without a delivery id the signed body identifies it');
  t.same(triggers, ['webhook', 'webhook', 'webhook']);
});
