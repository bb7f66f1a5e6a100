// Tearing down the IAM layer finishes: roles detach their policies and go first, then the
// customer policy they used (IAM refuses to delete a policy still attached); a role whose
// detach meets not-found (an answer lost, the call retried) is still deleted.
import t from 'tap';
import { GetRoleCommand, ListPoliciesCommand, ListRolesCommand } from '@aws-sdk/client-iam';
import { startTestSandbox } from '../helpers/sandbox.js';
import { referenceSpec } from '../helpers/specs.js';
import { applyPlatform, planPlatform } from '../../src/engine.js';
import { noKube } from '../../src/cloud/kube.js';
import { roleKind } from '../../src/resources/iam/role.js';
import type { KindContext } from '../../src/resources/kind.js';
import type { PlatformSpec } from '../../src/platform-spec/types.js';
import type { ResolvedSpec } from '../../src/platform-spec/resolved.js';
import { withDefaults } from '../../src/platform-spec/defaults.js';

const CONVERGE = ['network' as const, 'iam' as const, 'eks' as const];

/** Only the IAM layer's objects are left out of the spec (no cluster means no IAM either). */
function withoutCluster(spec: PlatformSpec): ResolvedSpec {
  const { cluster: _c, services: _s, domain: _d, ...rest } = spec;
  return withDefaults({ ...rest, deletion: { allow: ['iam'] } });
}

t.test('IAM teardown: roles (policies detached) before the customer policy', async (t) => {
  const sb = await startTestSandbox();
  t.teardown(sb.close);
  const spec = await referenceSpec();
  t.ok((await applyPlatform({ spec, aws: sb.clients, layers: CONVERGE })).ok, 'converged');

  const teardown = withoutCluster(spec);
  const planned = await planPlatform({ spec: teardown, aws: sb.clients, layers: ['iam'] });
  t.ok(planned.plan.changes.length > 0 && planned.plan.changes.every((c) => c.action === '-'), 'every IAM object planned for deletion');
  const policy = planned.plan.changes.find((c) => c.id === 'iam/policy/load-balancer-controller')!;
  t.same(policy.dependsOn.filter((d) => d.startsWith('iam/role/')).sort(),
    planned.plan.changes.filter((c) => c.kind === 'iam/role').map((c) => c.id).sort(), 'the policy waits for the roles');
  t.notOk(planned.plan.changes.some((c) => c.kind === 'iam/role' && c.dependsOn.includes(policy.id)), 'no role waits for the policy');

  const mark = sb.aws.callLog.mark();
  // Bounds a deadlock (the engine would otherwise ride out DeleteConflict for 30 minutes).
  const result = await applyPlatform({ spec: teardown, aws: sb.clients, layers: ['iam'], plan: planned, signal: AbortSignal.timeout(60_000) });
  t.same(result.failed, [], 'no deletion failed');
  t.ok(result.ok, 'teardown finished');
  const calls = sb.aws.callLog.since(mark);
  const lastRoleDelete = calls.map((c) => c.operation === 'DeleteRole' && c.status === 200).lastIndexOf(true);
  const policyDelete = calls.findIndex((c) => c.operation === 'DeletePolicy' && c.status === 200);
  t.ok(lastRoleDelete >= 0 && policyDelete > lastRoleDelete, 'the policy is deleted after the last role');
  t.notOk(calls.some((c) => c.operation === 'DeletePolicy' && c.errorCode === 'DeleteConflict'), 'never tried while still attached');
  t.same((await sb.clients.iam.send(new ListRolesCommand({ PathPrefix: '/platformd/' }))).Roles, [], 'no role left');
  t.same((await sb.clients.iam.send(new ListPoliciesCommand({ Scope: 'Local', PathPrefix: '/platformd/' }))).Policies, [], 'no policy left');
  t.same((await planPlatform({ spec: teardown, aws: sb.clients, layers: ['iam'] })).plan.changes, [], 'the next plan is empty');
});

t.test('a role whose policy detach answers not-found is still deleted', async (t) => {
  const sb = await startTestSandbox();
  t.teardown(sb.close);
  const spec = await referenceSpec();
  t.ok((await applyPlatform({ spec, aws: sb.clients, layers: CONVERGE })).ok, 'converged');
  const ctx: KindContext = {
    platform: spec.metadata.name, region: spec.region, spec, aws: sb.clients, kube: noKube, signal: new AbortController().signal,
    progress: () => {}, memo: (_key, read) => read(),
  };
  const role = (await roleKind.observeAll(ctx, [])).find((o) => o.id === 'iam/role/node')!;
  t.ok(role.state.managedPolicyArns.length > 0, 'the node role has policies attached');
  // The first detach is carried out but its answer is lost: the SDK's retry meets NoSuchEntity.
  sb.aws.faults.add({ kind: 'drop-response', service: 'iam', operation: 'DetachRolePolicy', count: 1 });
  await roleKind.delete(ctx, role);
  const gone = await sb.clients.iam.send(new GetRoleCommand({ RoleName: role.physicalId })).then(() => false, (err: Error) => err.name === 'NoSuchEntityException');
  t.ok(gone, 'the role was deleted');
});
