// Kubernetes calls share one keep-alive HTTPS agent: a run of calls reuses its connections
// instead of a TCP connect and TLS handshake per call (issue 19: ~1230 handshakes applying 300
// services, because client-node 1.x makes a new agent per request).
import t from 'tap';
import { Agent as HttpsAgent } from 'node:https';
import { DescribeClusterCommand } from '@aws-sdk/client-eks';
import { startTestSandbox } from '../helpers/sandbox.js';
import { referenceSpec } from '../helpers/specs.js';
import { applyPlatform } from '../../src/engine.js';
import { eksKubeAccess } from '../../src/cloud/kube.js';

t.test('twenty sequential Kubernetes calls open at most a couple of connections to the API server', async (t) => {
  const sb = await startTestSandbox();
  t.teardown(sb.close);
  const noDomain = await referenceSpec((s) => { delete s.domain; });
  t.ok((await applyPlatform({ spec: noDomain, aws: sb.clients, layers: ['network', 'iam', 'eks'] })).ok);
  const endpoint = new URL((await sb.clients.eks.send(new DescribeClusterCommand({ name: 'grpc-demo' }))).cluster!.endpoint!);

  // Every new TLS connection any https.Agent opens goes through createConnection (tls.connect
  // publishes no diagnostics channel in Node 20), so count there.
  const connections: string[] = [];
  const createConnection = HttpsAgent.prototype.createConnection;
  HttpsAgent.prototype.createConnection = function (this: HttpsAgent, ...args: Parameters<typeof createConnection>) {
    const options = args[0] as { host?: string; port?: number | string };
    connections.push(`${options.host}:${options.port}`);
    return createConnection.apply(this, args);
  } as typeof createConnection;
  t.teardown(() => { HttpsAgent.prototype.createConnection = createConnection; });

  const access = eksKubeAccess(sb.clients, 'grpc-demo');
  const api = await access.objects();
  for (let i = 0; i < 20; i++) await api.list('v1', 'Namespace');
  const toApiServer = connections.filter((c) => c.endsWith(`:${endpoint.port}`));
  t.ok(toApiServer.length >= 1, 'the calls reached the API server');
  t.ok(toApiServer.length <= 2, `20 calls opened ${toApiServer.length} connections to the API server`);

  // A token refresh (after a 401) keeps the same connections: the token is a header.
  access.invalidate?.();
  for (let i = 0; i < 5; i++) await (await access.objects()).list('v1', 'Namespace');
  t.ok(connections.filter((c) => c.endsWith(`:${endpoint.port}`)).length <= 2, 'a new token reuses the agent');
});
