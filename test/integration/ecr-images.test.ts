// services[].image as { repository, tag }: the reference platform with route-guide's image in an
// ECR repository platformd owns converges (immutable tags, scan on push, AES256, lifecycle policy
// keeping 20, ownership tags; the Deployment runs <account>.dkr.ecr.<region>.amazonaws.com/route-guide:<tag>);
// a tag not pushed yet is a warning in the plan naming the push command, gone once pushed (the
// apply converges only once it is pushed: the nodes pull the image, as on a real cluster);
// deleting the repository while it holds images is blocked without deletion.allow: [repositories]
// and done with it.
import t from 'tap';
import { until } from '../helpers/until.js';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DescribeRepositoriesCommand, GetLifecyclePolicyCommand, ListTagsForResourceCommand } from '@aws-sdk/client-ecr';
import { startTestSandbox } from '../helpers/sandbox.js';
import { referenceSpec } from '../helpers/specs.js';
import { applyPlatform, planPlatform } from '../../src/engine.js';
import { clusterAccessFor } from '../../src/cloud/cluster-access.js';
import { loadSpecFile } from '../../src/platform-spec/load.js';
import type { PlatformSpec } from '../../src/platform-spec/types.js';
import type { ResolvedSpec } from '../../src/platform-spec/resolved.js';
import type { EcrService } from '../../src/sandbox/aws/services/ecr/index.js';

const REPO = 'iam/ecr-repository/route-guide';
const DEPLOYMENT = 'kube/Deployment/default/route-guide';

t.test('the schema takes an ECR image', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'platformd-ecr-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'platform.yaml');
  writeFileSync(file, readFileSync('specs/platform.yaml', 'utf8').replace('image: public.ecr.aws/platformd/route-guide:1.0.0', 'image: { repository: route-guide, tag: "1.0.0", keepImages: 30 }'));
  const loaded = await loadSpecFile(file, { protosDir: 'protos' });
  t.ok(loaded.ok, `valid: ${JSON.stringify(loaded.diagnostics)}`);
  writeFileSync(file, readFileSync('specs/platform.yaml', 'utf8').replace('image: public.ecr.aws/platformd/route-guide:1.0.0', 'image: { repository: Route_Guide, tag: "1.0.0" }'));
  t.notOk((await loadSpecFile(file, { protosDir: 'protos' })).ok, 'a name ECR refuses is a spec error');
});

t.test('an ECR image converges, warns until pushed, and its repository is deleted only with the opt-in', async (t) => {
  const sb = await startTestSandbox();
  t.teardown(sb.close);
  const withImage = (tag: string) => (s: PlatformSpec) => { s.services![0]!.image = { repository: 'route-guide', tag }; };
  const engine = (spec: ResolvedSpec) => ({ spec, aws: sb.clients, kube: clusterAccessFor(spec, sb.clients) });
  const first = engine(await referenceSpec(withImage('1.0.0')));
  const firstPlan = (await planPlatform(first)).plan;
  t.ok(firstPlan.changes.some((c) => c.id === REPO && c.action === '+'), 'the repository is planned');
  t.match(firstPlan.operatorActions.find((a) => a.id === 'push route-guide:1.0.0'),
    { summary: /warning: image route-guide:1\.0\.0 cannot exist yet: apply creates the repository route-guide, then push the image/,
      detail: /docker push <account>\.dkr\.ecr\.ap-northeast-1\.amazonaws\.com\/route-guide:1\.0\.0/ },
    'the first plan, before the repository exists, already warns that the image must be pushed');
  const applying = applyPlatform({ ...first, signal: AbortSignal.timeout(180_000) });
  const ecr = sb.clients.ecr;
  // The pipeline pushes the image once apply has made the repository; until then the pods cannot pull it.
  const repo = await until('apply to make the repository', async () =>
    (await ecr.send(new DescribeRepositoriesCommand({})).catch(() => undefined))?.repositories?.find((r) => r.repositoryName === 'route-guide'));
  const uri = `${repo.repositoryUri}:1.0.0`;
  const beforePush = await planPlatform(first);
  const warning = beforePush.plan.operatorActions.find((a) => a.id === 'push route-guide:1.0.0');
  t.match(warning, { summary: /warning: image route-guide:1\.0\.0 does not exist in ECR yet/, detail: new RegExp(`docker push ${uri.replace(/\./g, '\\.')}`) }, 'the missing tag is a warning naming the push command');
  sb.aws.service<EcrService>('ecr').pushImage('ap-northeast-1', 'route-guide', '1.0.0');
  const applied = await applying;
  t.same(applied.failed, [], 'nothing failed');
  t.ok(applied.ok, 'the platform with an ECR image converges once the image is pushed');

  t.match(repo, { imageTagMutability: 'IMMUTABLE', imageScanningConfiguration: { scanOnPush: true }, encryptionConfiguration: { encryptionType: 'AES256' } }, 'repository settings');
  const policy = JSON.parse((await ecr.send(new GetLifecyclePolicyCommand({ repositoryName: 'route-guide' }))).lifecyclePolicyText!);
  t.match(policy, { rules: [{ selection: { tagStatus: 'any', countType: 'imageCountMoreThan', countNumber: 20 }, action: { type: 'expire' } }] }, 'keeps the last 20 images');
  t.match((await ecr.send(new ListTagsForResourceCommand({ resourceArn: repo.repositoryArn }))).tags, [{ Key: 'platformd.dev/platform', Value: 'grpc-demo' }, { Key: 'platformd.dev/id', Value: REPO }], 'ownership tags');

  const converged = await planPlatform(first);
  t.same(converged.plan.changes, [], 'the next plan is empty');
  t.match(uri, /^\d{12}\.dkr\.ecr\.ap-northeast-1\.amazonaws\.com\/route-guide:1\.0\.0$/);
  t.ok(JSON.stringify(converged.observed.get(DEPLOYMENT)?.state).includes(uri), `the Deployment runs ${uri}`);
  t.same(converged.plan.operatorActions.filter((a) => a.id.startsWith('push ')), [], 'no warning once the tag is pushed');

  const next = await planPlatform(engine(await referenceSpec(withImage('1.1.0'))));
  t.ok(next.plan.changes.some((c) => c.id === DEPLOYMENT && c.action === '~'), 'a new tag changes the Deployment');
  t.ok(next.plan.operatorActions.some((a) => a.id === 'push route-guide:1.1.0'), 'and warns that 1.1.0 is not pushed');

  const without = engine(await referenceSpec());
  const blocked = (await planPlatform(without)).plan.changes.find((c) => c.id === REPO);
  t.match(blocked, { action: '!', reason: 'deletion-not-allowed', blockedBy: 'set deletion.allow: [repositories] to delete it' }, 'a repository holding images is not deleted without the opt-in');
  const allowed = engine(await referenceSpec((s) => { s.deletion = { allow: ['repositories'] }; }));
  const deleting = await planPlatform(allowed);
  t.match(deleting.plan.changes.find((c) => c.id === REPO), { action: '-' }, 'with deletion.allow: [repositories] it is deleted');
  const removed = await applyPlatform({ ...allowed, plan: deleting, signal: AbortSignal.timeout(180_000) });
  t.same(removed.failed, [], 'deleted');
  t.same((await ecr.send(new DescribeRepositoriesCommand({}))).repositories, [], 'no repository left');
});
