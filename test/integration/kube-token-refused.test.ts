// A cluster that keeps refusing platformd's token (401 after a fresh one too): each change fails
// after exactly one token refresh, with no engine retries behind it.
import t from 'tap';
import { KubeConfig, KubernetesObjectApi } from '@kubernetes/client-node';
import { DescribeClusterCommand } from '@aws-sdk/client-eks';
import { startTestSandbox } from '../helpers/sandbox.js';
import { referenceSpec } from '../helpers/specs.js';
import { applyPlatform } from '../../src/engine.js';
import { eksToken } from '../../src/cloud/eks-token.js';
import { eksKubeAccess, type KubeAccess } from '../../src/cloud/kube.js';
import type { ApplyEvent } from '../../src/apply/events.js';

t.test('a 401 that survives a token refresh fails the change at once', async (t) => {
  const sb = await startTestSandbox();
  t.teardown(sb.close);
  const noDomain = await referenceSpec((s) => { delete s.domain; });
  t.ok((await applyPlatform({ spec: noDomain, aws: sb.clients, layers: ['network', 'iam', 'eks'] })).ok);
  const cluster = (await sb.clients.eks.send(new DescribeClusterCommand({ name: 'grpc-demo' }))).cluster!;
  const expired = await eksToken(sb.clients.sts, 'grpc-demo', new Date(Date.now() - 16 * 60_000));
  const refusedClient = () => {
    const kc = new KubeConfig();
    kc.loadFromOptions({ clusters: [{ name: 'c', server: cluster.endpoint!, caData: cluster.certificateAuthority!.data! }], users: [{ name: 'u', token: expired.token }], contexts: [{ name: 'c', cluster: 'c', user: 'u' }], currentContext: 'c' });
    return KubernetesObjectApi.makeApiClient(kc);
  };

  // Reads work (the plan is made with a good token); from the first change on, every token is refused.
  const real = eksKubeAccess(sb.clients, 'grpc-demo');
  let refusing = false;
  let invalidations = 0;
  const access: KubeAccess = {
    available: () => real.available(),
    invalidate: () => { invalidations++; },
    objects: async () => (refusing ? refusedClient() : real.objects()),
  };
  const events: ApplyEvent[] = [];
  // Bounds a hang only: without the fix the engine retried the 401 for up to 10 minutes.
  const signal = AbortSignal.timeout(120_000);
  const result = await applyPlatform({
    spec: noDomain, aws: sb.clients, kube: access, layers: ['kube'], signal,
    onEvent: (e) => {
      if (e.type === 'change-start') refusing = true;
      events.push(e);
    },
  });
  t.notOk(signal.aborted, 'the apply ended by itself');
  t.notOk(result.ok, 'the apply failed');
  const started = events.filter((e) => e.type === 'change-start').length;
  t.ok(result.failed.length > 0 && result.failed.every((f) => /401/.test(f.error)), `every failure is the 401: ${JSON.stringify(result.failed.slice(0, 2))}`);
  t.same(events.filter((e) => e.type === 'retry'), [], 'no engine retry of a 401');
  t.equal(invalidations, started, 'exactly one token refresh per change');
});
