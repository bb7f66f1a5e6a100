// ECR under the sandbox's IAM evaluation with exactly the shipped policy
// (ops/iam/platformd-policy.json): the reference platform with an ECR image converges, its
// repository is read back, and deleted with the opt-in, with not one call refused; without the
// statement scoping repository changes to the platform's tag, PutLifecyclePolicy is refused.
import t from 'tap';
import { readFileSync } from 'node:fs';
import { startTestSandbox } from '../helpers/sandbox.js';
import { referenceSpec } from '../helpers/specs.js';
import { applyPlatform, planPlatform } from '../../src/engine.js';
import { clusterAccessFor } from '../../src/cloud/cluster-access.js';
import type { CallRecord } from '../../src/sandbox/aws/call-log.js';
import type { PlatformSpec } from '../../src/platform-spec/types.js';
import type { EcrService } from '../../src/sandbox/aws/services/ecr/index.js';

interface PolicyDocument { Version: string; Statement: { Sid?: string }[] }
const shipped = (): PolicyDocument => JSON.parse(readFileSync('ops/iam/platformd-policy.json', 'utf8')) as PolicyDocument;
const DENIALS = new Set(['UnauthorizedOperation', 'AccessDenied', 'AccessDeniedException']);
const denials = (calls: readonly CallRecord[]) => calls.filter((c) => c.errorCode !== undefined && DENIALS.has(c.errorCode)).map((c) => `${c.service}:${c.operation} ${c.errorCode}`);
const withImage = (s: PlatformSpec) => { s.services![0]!.image = { repository: 'route-guide', tag: '1.0.0' }; };

/** Pushes route-guide:1.0.0 as soon as the repository exists (the deadline only bounds a hang). */
async function pushOnceRepositoryExists(ecr: EcrService): Promise<void> {
  const end = Date.now() + 120_000;
  for (;;) {
    try {
      ecr.pushImage('ap-northeast-1', 'route-guide', '1.0.0');
      return;
    } catch (err) {
      if (Date.now() > end) throw err;
      await new Promise((r) => setTimeout(r, 200));
    }
  }
}

t.test('ECR calls under exactly the shipped policy', async (t) => {
  const sb = await startTestSandbox({ principalPolicy: shipped() });
  t.teardown(sb.close);
  const spec = await referenceSpec(withImage);
  const opts = { spec, aws: sb.clients, kube: clusterAccessFor(spec, sb.clients) };
  const converging = applyPlatform({ ...opts, signal: AbortSignal.timeout(180_000) });
  // The image is pushed once apply has made its repository: the nodes pull it before the Deployment is available.
  await pushOnceRepositoryExists(sb.aws.service<EcrService>('ecr'));
  const converged = await converging;
  t.same(converged.failed, [], 'nothing failed while converging');
  t.same((await planPlatform(opts)).plan.changes, [], 'converged, read back with the repository\'s tags, images and lifecycle policy');
  const allowed = await referenceSpec((s) => { s.deletion = { allow: ['repositories'] }; });
  const removed = await applyPlatform({ spec: allowed, aws: sb.clients, kube: clusterAccessFor(allowed, sb.clients), signal: AbortSignal.timeout(180_000) });
  t.same(removed.failed, [], 'the repository (holding an image) deleted with the opt-in');
  t.ok(sb.aws.callLog.all().some((c) => c.service === 'ecr' && c.operation === 'DeleteRepository'), 'DeleteRepository was called');
  t.same(denials(sb.aws.callLog.all()), [], 'not one call refused');
});

t.test('without ChangeOnlyOurRepositories the lifecycle policy is refused', async (t) => {
  const policy = shipped();
  policy.Statement = policy.Statement.filter((s) => s.Sid !== 'ChangeOnlyOurRepositories');
  const sb = await startTestSandbox({ principalPolicy: policy });
  t.teardown(sb.close);
  const spec = await referenceSpec(withImage);
  const result = await applyPlatform({ spec, aws: sb.clients, layers: ['iam'], signal: AbortSignal.timeout(120_000) });
  t.match(result.failed.find((f) => f.id === 'iam/ecr-repository/route-guide')?.error, /PutLifecyclePolicy|ecr:PutLifecyclePolicy|not authorized/i, 'the repository fails naming the refused call');
  t.ok(denials(sb.aws.callLog.all()).includes('ecr:PutLifecyclePolicy AccessDeniedException'), `refused by the IAM evaluation: ${denials(sb.aws.callLog.all()).join(', ')}`);
  t.comment(result.failed.map((f) => f.error).join('; '));
});
