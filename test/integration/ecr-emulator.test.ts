// The emulated ECR through the real SDK (awsJson1_1, AmazonEC2ContainerRegistry_V20150921):
// repository settings and tags at creation, lifecycle policies, DescribeImages, and ECR's errors
// (RepositoryAlreadyExists, RepositoryNotFound, LifecyclePolicyNotFound, ImageNotFound,
// RepositoryNotEmpty unless force).
import t from 'tap';
import { ECRClient, CreateRepositoryCommand, DeleteRepositoryCommand, DescribeImagesCommand, DescribeRepositoriesCommand, GetLifecyclePolicyCommand,
  ListTagsForResourceCommand, PutLifecyclePolicyCommand, TagResourceCommand } from '@aws-sdk/client-ecr';
import { startTestSandbox } from '../helpers/sandbox.js';
import type { EcrService } from '../../src/sandbox/aws/services/ecr/index.js';

t.test('ECR repositories, lifecycle policies, images and errors', async (t) => {
  const sb = await startTestSandbox();
  t.teardown(sb.close);
  const ecr = new ECRClient({ region: 'ap-northeast-1', maxAttempts: 1 });
  t.teardown(() => ecr.destroy());
  const created = await ecr.send(new CreateRepositoryCommand({ repositoryName: 'route-guide', imageTagMutability: 'IMMUTABLE',
    imageScanningConfiguration: { scanOnPush: true }, encryptionConfiguration: { encryptionType: 'AES256' }, tags: [{ Key: 'owner', Value: 'test' }] }));
  t.match(created.repository, { repositoryName: 'route-guide', imageTagMutability: 'IMMUTABLE', imageScanningConfiguration: { scanOnPush: true },
    encryptionConfiguration: { encryptionType: 'AES256' }, repositoryUri: /^\d{12}\.dkr\.ecr\.ap-northeast-1\.amazonaws\.com\/route-guide$/,
    repositoryArn: /^arn:aws:ecr:ap-northeast-1:\d{12}:repository\/route-guide$/ }, 'created with its settings');
  await t.rejects(ecr.send(new CreateRepositoryCommand({ repositoryName: 'route-guide' })), { name: 'RepositoryAlreadyExistsException' }, 'names are unique');
  await t.rejects(ecr.send(new CreateRepositoryCommand({ repositoryName: 'Route_Guide' })), { name: 'InvalidParameterException' }, 'names are lowercase');
  await t.rejects(ecr.send(new DescribeRepositoriesCommand({ repositoryNames: ['nope'] })), { name: 'RepositoryNotFoundException' }, 'unknown name');
  t.same((await ecr.send(new DescribeRepositoriesCommand({}))).repositories?.map((r) => r.repositoryName), ['route-guide'], 'listed');

  const arn = created.repository!.repositoryArn!;
  await ecr.send(new TagResourceCommand({ resourceArn: arn, tags: [{ Key: 'team', Value: 'platform' }] }));
  t.same((await ecr.send(new ListTagsForResourceCommand({ resourceArn: arn }))).tags, [{ Key: 'owner', Value: 'test' }, { Key: 'team', Value: 'platform' }], 'tags');

  await t.rejects(ecr.send(new GetLifecyclePolicyCommand({ repositoryName: 'route-guide' })), { name: 'LifecyclePolicyNotFoundException' }, 'no policy yet');
  const policy = JSON.stringify({ rules: [{ rulePriority: 1, selection: { tagStatus: 'any', countType: 'imageCountMoreThan', countNumber: 20 }, action: { type: 'expire' } }] });
  await ecr.send(new PutLifecyclePolicyCommand({ repositoryName: 'route-guide', lifecyclePolicyText: policy }));
  t.equal((await ecr.send(new GetLifecyclePolicyCommand({ repositoryName: 'route-guide' }))).lifecyclePolicyText, policy, 'policy read back');

  await t.rejects(ecr.send(new DescribeImagesCommand({ repositoryName: 'route-guide', imageIds: [{ imageTag: '1.0.0' }] })), { name: 'ImageNotFoundException' }, 'tag not pushed');
  sb.aws.service<EcrService>('ecr').pushImage('ap-northeast-1', 'route-guide', '1.0.0');
  t.match((await ecr.send(new DescribeImagesCommand({ repositoryName: 'route-guide', imageIds: [{ imageTag: '1.0.0' }] }))).imageDetails, [{ imageTags: ['1.0.0'], imageDigest: /^sha256:/ }], 'pushed tag found');
  t.throws(() => sb.aws.service<EcrService>('ecr').pushImage('ap-northeast-1', 'route-guide', '1.0.0'), { code: 'ImageTagAlreadyExistsException' }, 'immutable tags');
  await t.rejects(ecr.send(new DeleteRepositoryCommand({ repositoryName: 'route-guide' })), { name: 'RepositoryNotEmptyException' }, 'a repository with images');
  await ecr.send(new DeleteRepositoryCommand({ repositoryName: 'route-guide', force: true }));
  t.same((await ecr.send(new DescribeRepositoriesCommand({}))).repositories, [], 'force deletes it');
});
