// Issue 15: an ECR repository records what platformd applied (the applied-digest tag, by
// TagResource once the lifecycle policy is in place) and its changes say which side moved.
// Changes behind platformd's back go through the real SDK; platformd runs under exactly the
// shipped IAM policy, so the record's TagResource is proven allowed.
import t from 'tap';
import { readFileSync } from 'node:fs';
import { ListTagsForResourceCommand, PutLifecyclePolicyCommand } from '@aws-sdk/client-ecr';
import { startTestSandbox } from '../helpers/sandbox.js';
import { referenceSpec } from '../helpers/specs.js';
import { applyPlatform, planPlatform } from '../../src/engine.js';
import { TAG_APPLIED_DIGEST } from '../../src/resources/applied-digest.js';
import { keepLastImagesPolicy } from '../../src/resources/iam/ecr-repository.js';
import type { PlatformSpec } from '../../src/platform-spec/types.js';
import type { ResolvedSpec } from '../../src/platform-spec/resolved.js';

const REPOSITORY = 'iam/ecr-repository/route-guide';
const withImage = (keepImages?: number) => (s: PlatformSpec) => {
  s.services![0]!.image = { repository: 'route-guide', tag: '1.0.0', ...(keepImages ? { keepImages } : {}) };
};

t.test('ECR repository: spec and outside; the record is never a change', async (t) => {
  const sb = await startTestSandbox({ principalPolicy: JSON.parse(readFileSync('ops/iam/platformd-policy.json', 'utf8')) as unknown });
  t.teardown(sb.close);
  const spec = await referenceSpec(withImage());
  const opts = (s: ResolvedSpec = spec) => ({ spec: s, aws: sb.clients, layers: ['network' as const, 'iam' as const, 'eks' as const] });
  t.same((await applyPlatform(opts())).failed, [], 'converged under the shipped policy');
  const converged = await planPlatform(opts());
  t.same(converged.plan.changes, [], 'the next plan is empty: the applied-digest tag is not a change');
  const arn = converged.observed.get(REPOSITORY)!.physicalId;
  const tags = (await sb.clients.ecr.send(new ListTagsForResourceCommand({ resourceArn: arn }))).tags ?? [];
  t.match(tags.find((x) => x.Key === TAG_APPLIED_DIGEST)?.Value, /^v1( [0-9a-f]{6})+$/, 'the repository carries what platformd applied');

  const keepFive = await referenceSpec(withImage(5));
  const origin = async (s?: ResolvedSpec) => (await planPlatform(opts(s))).plan.changes.map((c) => [c.id, c.origin, c.fields.map((f) => f.path)]);
  t.same(await origin(keepFive), [[REPOSITORY, 'spec', ['lifecyclePolicy']]], 'a lifecycle policy the spec changed: spec');

  await sb.clients.ecr.send(new PutLifecyclePolicyCommand({ repositoryName: 'route-guide', lifecyclePolicyText: JSON.stringify(keepLastImagesPolicy(1)) }));
  t.same(await origin(), [[REPOSITORY, 'outside', ['lifecyclePolicy']]], 'one replaced with the real SDK: outside');

  t.same((await applyPlatform(opts(keepFive))).failed, [], 'the update and its record are allowed by the shipped policy');
  t.same((await planPlatform(opts(keepFive))).plan.changes, [], 'converged on the changed spec, no churn from the rewritten record');
  await sb.clients.ecr.send(new PutLifecyclePolicyCommand({ repositoryName: 'route-guide', lifecyclePolicyText: JSON.stringify(keepLastImagesPolicy(1)) }));
  t.same(await origin(keepFive), [[REPOSITORY, 'outside', ['lifecyclePolicy']]], 'the record now holds the changed spec');
});
