// A cluster that goes FAILED is reported with its reason, and nothing that depends on it is attempted.
import t from 'tap';
import { startTestSandbox } from '../helpers/sandbox.js';
import { referenceSpec } from '../helpers/specs.js';
import { applyPlatform } from '../../src/engine.js';
import type { EksService } from '../../src/sandbox/aws/services/eks/index.js';

t.test('a FAILED cluster stops its dependents and is reported with the health issue', async (t) => {
  const sb = await startTestSandbox({ timeScale: 1 / 600 });
  t.teardown(sb.close);
  const eks = sb.aws.service<EksService>('eks');
  const opts = { spec: await referenceSpec(), aws: sb.clients, layers: ['network' as const, 'iam' as const, 'eks' as const] };
  const result = await applyPlatform({ ...opts, onEvent: (e) => {
    if (e.type === 'change-start' && e.id === 'eks/cluster') {
      setTimeout(() => eks.failCluster('ap-northeast-1', 'grpc-demo', { code: 'Ec2SubnetNotFound', message: 'The subnet ID subnet-123 does not exist' }), 50);
    }
  } });
  t.notOk(result.ok);
  t.same(result.failed.map((f) => f.id), ['eks/cluster'], 'the cluster is the one root cause');
  t.match(result.failed[0]!.error, /FAILED: Ec2SubnetNotFound: The subnet ID subnet-123 does not exist/);
  const skipped = result.skipped.map((s) => s.id);
  for (const id of ['eks/addon/vpc-cni', 'eks/nodegroup/default', 'iam/oidc-provider', 'iam/role/irsa-aws-node']) t.ok(skipped.includes(id), `${id} skipped`);
  t.ok(result.skipped.every((s) => s.because === 'eks/cluster failed'));
  const attempted = sb.aws.callLog.all().filter((c) => ['CreateAddon', 'CreateNodegroup', 'CreateOpenIDConnectProvider'].includes(c.operation));
  t.same(attempted, [], 'no dependent was attempted');
});
