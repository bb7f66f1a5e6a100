// Killed at any point, a re-run converges without duplicate roles, providers, clusters or node
// groups; IAM throttling and EKS ResourceInUseException while a cluster updates are retried.
import t from 'tap';
import { startTestSandbox } from '../helpers/sandbox.js';
import { referenceSpec } from '../helpers/specs.js';
import { applyPlatform, planPlatform } from '../../src/engine.js';
import { ListOpenIDConnectProvidersCommand, ListPoliciesCommand, ListRolesCommand } from '@aws-sdk/client-iam';
import { ListClustersCommand, ListNodegroupsCommand, UpdateClusterConfigCommand } from '@aws-sdk/client-eks';

const LAYERS: ('network' | 'iam' | 'eks')[] = ['network', 'iam', 'eks'];

for (const killAfter of ['iam/role/cluster', 'eks/cluster', 'iam/oidc-provider', 'eks/addon/vpc-cni']) {
  t.test(`killed right after ${killAfter} is created, a re-run converges without duplicates`, async (t) => {
    const sb = await startTestSandbox();
    t.teardown(sb.close);
    const opts = { spec: await referenceSpec(), aws: sb.clients, layers: LAYERS };
    const ac = new AbortController();
    const killed = await applyPlatform({ ...opts, signal: ac.signal, onEvent: (e) => {
      if (e.type === 'change-done' && e.id === killAfter) ac.abort(new Error('killed'));
    } });
    t.notOk(killed.ok);
    // Lost answers too: the node group is created but the caller never hears back.
    sb.aws.faults.add({ kind: 'drop-response', service: 'eks', operation: 'CreateNodegroup', count: 1 });
    const rerun = await applyPlatform(opts);
    const third = rerun.ok ? rerun : await applyPlatform(opts);
    t.ok(third.ok, JSON.stringify(third.failed));
    t.same((await planPlatform(opts)).plan.changes, []);
    const roles = (await sb.clients.iam.send(new ListRolesCommand({ PathPrefix: '/platformd/grpc-demo/' }))).Roles ?? [];
    t.equal(roles.length, 4, 'cluster, node, aws-node, controller roles: no duplicates');
    t.equal((await sb.clients.iam.send(new ListPoliciesCommand({ Scope: 'Local' }))).Policies?.length, 1);
    t.equal((await sb.clients.iam.send(new ListOpenIDConnectProvidersCommand({}))).OpenIDConnectProviderList?.length, 1);
    t.same((await sb.clients.eks.send(new ListClustersCommand({}))).clusters, ['grpc-demo']);
    t.same((await sb.clients.eks.send(new ListNodegroupsCommand({ clusterName: 'grpc-demo' }))).nodegroups, ['default']);
  });
}

t.test('IAM throttling and EKS ResourceInUseException during a cluster update are retried', async (t) => {
  const sb = await startTestSandbox();
  t.teardown(sb.close);
  const opts = { spec: await referenceSpec(), aws: sb.clients, layers: LAYERS };
  sb.aws.faults.add({ kind: 'throttle', service: 'iam', fraction: 0.3 });
  const throttled = await applyPlatform(opts);
  t.ok(throttled.ok, `converges while IAM throttles: ${JSON.stringify(throttled.failed)}`);
  t.ok(sb.aws.callLog.all().some((c) => c.errorCode === 'Throttling'), 'IAM did throttle');
  sb.aws.faults.clear();

  // From here on updates take a visible while (a 2-minute config update takes 2 s).
  sb.clock.scale = 1 / 60;

  // Someone else starts an update; our version bump meets ResourceInUseException and waits.
  await sb.clients.eks.send(new UpdateClusterConfigCommand({ name: 'grpc-demo', resourcesVpcConfig: { endpointPrivateAccess: true, endpointPublicAccess: true, publicAccessCidrs: ['0.0.0.0/0'] } }));
  const bumped = { ...opts, spec: await referenceSpec((s) => { s.cluster!.version = '1.36'; }) };
  const result = await applyPlatform(bumped);
  t.ok(result.ok, JSON.stringify(result.failed));
  t.ok(sb.aws.callLog.all().some((c) => c.operation === 'UpdateClusterVersion' && c.errorCode === 'ResourceInUseException'), 'met ResourceInUseException');
  t.same((await planPlatform(bumped)).plan.changes, []);
});
