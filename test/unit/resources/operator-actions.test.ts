// The kinds' operator-actions hooks (pure): what only a person can do reaches the plan as typed
// data from the desired node and the live object, never through outputs or casts.
import t from 'tap';
import { hostedZoneKind } from '../../../src/resources/edge/hosted-zone.js';
import { ecrRepositoryKind, keepLastImagesPolicy } from '../../../src/resources/iam/ecr-repository.js';

const region = { region: 'eu-west-1' };

t.test('a hosted zone asks for delegation once its name servers are known, done when public DNS agrees', async (t) => {
  const hook = hostedZoneKind.operatorActions!;
  t.same(hook(undefined, undefined, region), [], 'nothing before the zone exists (no name servers to name)');
  const zone = (delegated?: boolean) => ({ id: 'edge/hosted-zone', kind: hostedZoneKind.kind, physicalId: 'Z1', owned: true,
    state: { name: 'example.com.', ...(delegated === undefined ? {} : { delegated }) }, outputs: { nameServers: ['ns-1.example', 'ns-2.example'] } });
  const [pending] = hook(undefined, zone(false), region);
  t.match(pending, { id: 'delegate example.com.', summary: 'Delegate example.com. to ns-1.example, ns-2.example at your registrar', done: false, detail: /does not delegate/ });
  t.match(hook(undefined, zone(true), region)[0], { done: true, detail: 'Delegation is in place.' });
  t.match(hook(undefined, zone(), region)[0], { done: false, detail: /could not be checked/ });
});

t.test('an ECR repository reminds to push each missing tag, also before the repository exists', async (t) => {
  const hook = ecrRepositoryKind.operatorActions!;
  const properties = { name: 'route-guide', imageTagMutability: 'IMMUTABLE' as const, scanOnPush: true, encryptionType: 'AES256' as const,
    lifecyclePolicy: keepLastImagesPolicy(20), imageTags: ['1.0.0', '1.1.0'] };
  const desired = { id: 'iam/ecr-repository/route-guide', kind: ecrRepositoryKind.kind, properties, dependsOn: [] };
  const before = hook(desired, undefined, region);
  t.same(before.map((a) => a.id), ['push route-guide:1.0.0', 'push route-guide:1.1.0'], 'every wanted tag, before the repository exists');
  t.match(before[0], { summary: /apply creates the repository route-guide, then push/, detail: /docker push <account>\.dkr\.ecr\.eu-west-1\.amazonaws\.com\/route-guide:1\.0\.0/ });
  const uri = '123456789012.dkr.ecr.eu-west-1.amazonaws.com/route-guide';
  const live = { id: desired.id, kind: ecrRepositoryKind.kind, physicalId: 'arn:aws:ecr:eu-west-1:123456789012:repository/route-guide', owned: true,
    state: { name: 'route-guide', imageTagMutability: 'IMMUTABLE', scanOnPush: true, encryptionType: 'AES256', lifecyclePolicy: keepLastImagesPolicy(20), hasImages: true, missingTags: ['1.1.0'] },
    outputs: { uri } };
  const after = hook(desired, live, region);
  t.same(after.map((a) => a.id), ['push route-guide:1.1.0'], 'once it exists: only the tags it does not hold');
  t.match(after[0], { summary: /does not exist in ECR yet/, detail: `aws ecr get-login-password --region eu-west-1 | docker login --username AWS --password-stdin 123456789012.dkr.ecr.eu-west-1.amazonaws.com\ndocker push ${uri}:1.1.0` });
  t.same(hook(undefined, { ...live, state: { ...live.state, missingTags: [] } }, region), [], 'nothing when every tag is there');
});
