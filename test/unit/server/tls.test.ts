// The daemon's listener can serve HTTPS itself (--tls-cert/--tls-key), so a webhook's token never
// crosses the network in clear when nothing terminates TLS in front of it.
import t from 'tap';
import { request } from 'node:https';
import { build } from '../../../src/server/app.js';
import { createMetrics } from '../../../src/metrics.js';
import { SandboxCa } from '../../../src/sandbox/ca.js';

t.test('HTTPS with the given certificate; plain HTTP is not served', async (t) => {
  const ca = await SandboxCa.create('test CA');
  const leaf = await ca.issue(['localhost'], ['127.0.0.1']);
  const metrics = createMetrics('test', 'apply');
  t.teardown(metrics.close);
  const app = build({ status: () => ({}) as never, ready: () => true, registry: metrics.registry, current: () => undefined,
    plan: async () => { throw new Error('no'); }, protosDir: () => 'protos', trigger: () => {}, tls: { cert: leaf.certPem, key: leaf.keyPem } });
  const address = await app.listen({ host: '127.0.0.1', port: 0 });
  t.teardown(() => app.close());
  t.match(address, /^https:\/\//);
  const body = await new Promise<string>((resolve, reject) => {
    request(`${address}/healthz`, { ca: ca.certPem }, (res) => {
      let text = '';
      res.on('data', (d) => { text += d; });
      res.on('end', () => resolve(text));
    }).on('error', reject).end();
  });
  t.match(JSON.parse(body), { status: 'ok' }, 'verified against the CA');
  await t.rejects(fetch(address.replace('https:', 'http:') + '/healthz'), 'plain HTTP gets no answer');
});
