// An expired or foreign token is refused by the emulated API server; platformd refreshes its
// token and carries on.
import t from 'tap';
import { KubeConfig, KubernetesObjectApi } from '@kubernetes/client-node';
import { DescribeClusterCommand } from '@aws-sdk/client-eks';
import { startTestSandbox } from '../helpers/sandbox.js';
import { referenceSpec } from '../helpers/specs.js';
import { applyPlatform } from '../../src/engine.js';
import { eksToken } from '../../src/cloud/eks-token.js';
import { eksKubeAccess, type KubeAccess } from '../../src/cloud/kube.js';

async function clientWith(token: string, endpoint: string, ca: string): Promise<KubernetesObjectApi> {
  const kc = new KubeConfig();
  kc.loadFromOptions({ clusters: [{ name: 'c', server: endpoint, caData: ca }], users: [{ name: 'u', token }], contexts: [{ name: 'c', cluster: 'c', user: 'u' }], currentContext: 'c' });
  return KubernetesObjectApi.makeApiClient(kc);
}

t.test('expired and foreign tokens get 401; platformd refreshes and carries on', async (t) => {
  const sb = await startTestSandbox();
  t.teardown(sb.close);
  const noDomain = await referenceSpec((s) => { delete s.domain; });
  t.ok((await applyPlatform({ spec: noDomain, aws: sb.clients, layers: ['network', 'iam', 'eks'] })).ok);
  const cluster = (await sb.clients.eks.send(new DescribeClusterCommand({ name: 'grpc-demo' }))).cluster!;
  const list = (api: KubernetesObjectApi) => api.list('v1', 'Namespace');

  const fresh = await eksToken(sb.clients.sts, 'grpc-demo');
  t.ok((await list(await clientWith(fresh.token, cluster.endpoint!, cluster.certificateAuthority!.data!))).items.length > 0, 'a fresh token for this cluster works');
  const expired = await eksToken(sb.clients.sts, 'grpc-demo', new Date(Date.now() - 16 * 60_000));
  await t.rejects(list(await clientWith(expired.token, cluster.endpoint!, cluster.certificateAuthority!.data!)), { code: 401 }, 'an expired token is refused');
  const foreign = await eksToken(sb.clients.sts, 'another-cluster');
  await t.rejects(list(await clientWith(foreign.token, cluster.endpoint!, cluster.certificateAuthority!.data!)), { code: 401 }, 'a token for another cluster is refused');

  // platformd holding a stale token: the first calls get 401, it drops the token and re-signs.
  const real = eksKubeAccess(sb.clients, 'grpc-demo');
  let stale = true;
  let invalidations = 0;
  const access: KubeAccess = {
    available: () => real.available(),
    invalidate: () => { invalidations++; stale = false; real.invalidate?.(); },
    objects: async () => (stale ? clientWith(expired.token, cluster.endpoint!, cluster.certificateAuthority!.data!) : real.objects()),
  };
  const result = await applyPlatform({ spec: noDomain, aws: sb.clients, kube: access, layers: ['kube'] });
  t.ok(result.ok, JSON.stringify(result.failed));
  t.ok(invalidations >= 1, 'the token was dropped after a 401 and re-signed');
});
