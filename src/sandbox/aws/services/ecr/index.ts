// The emulated ECR (awsJson1_1, target prefix AmazonEC2ContainerRegistry_V20150921, signing name
// ecr): private repositories with their settings, lifecycle policies, tags and images, for the
// operations platformd uses. Shapes and errors from the ECR API reference
// (https://docs.aws.amazon.com/AmazonECR/latest/APIReference/):
// - CreateRepository: names are 2–256 characters of lowercase letters, digits and ._-/ (each
//   component starting with a letter or digit), unique per registry (RepositoryAlreadyExistsException);
//   imageTagMutability MUTABLE by default; encryption AES256 by default; tags at creation.
// - DescribeRepositories of a name that does not exist: RepositoryNotFoundException.
// - GetLifecyclePolicy without one: LifecyclePolicyNotFoundException.
// - DeleteRepository of a repository that still holds images: RepositoryNotEmptyException unless
//   force (API_DeleteRepository.html: "If the repository isn't empty, you must either delete the
//   contents of the repository or use the force option").
// - DescribeImages naming an image id that does not exist: ImageNotFoundException.
// - What a node's image pull calls (https://docs.aws.amazon.com/AmazonECR/latest/userguide/image-pull.html):
//   GetAuthorizationToken (a base64 "AWS:<password>" valid 12 hours for the registry's proxyEndpoint),
//   BatchGetImage (a missing tag is a failure ImageNotFound, not an error) and
//   GetDownloadUrlForLayer (a layer no image holds: LayersNotFoundException). Each image has one layer.
// Images are not pushed over the registry API here: tests and the demo put them in with pushImage().
import { createHash } from 'node:crypto';
import { jsonCodec } from '../../protocol/json.js';
import { ServiceError, type EmulatedService, type OperationHandler, type RequestContext } from '../../service.js';

export interface EcrImage { digest: string; tags: string[]; pushedAt: Date; sizeBytes: number }

export interface EcrRepository {
  name: string; arn: string; uri: string; registryId: string; createdAt: Date;
  imageTagMutability: string; scanOnPush: boolean; encryptionType: string; kmsKey?: string;
  lifecyclePolicyText?: string; tags: Map<string, string>; images: EcrImage[];
}

const MANIFEST_MEDIA_TYPE = 'application/vnd.oci.image.manifest.v1+json';
/** The digest of an image's one layer (what GetDownloadUrlForLayer is asked for). */
const layerOf = (image: EcrImage) => `sha256:${createHash('sha256').update(`${image.digest}/layer`).digest('hex')}`;

// https://docs.aws.amazon.com/AmazonECR/latest/APIReference/API_CreateRepository.html#ECR-CreateRepository-request-repositoryName
const NAME_PATTERN = /^(?=.{2,256}$)((?:[a-z0-9]+(?:[._-][a-z0-9]+)*\/)*[a-z0-9]+(?:[._-][a-z0-9]+)*)$/;

export class EcrService implements EmulatedService {
  readonly name = 'ecr';
  readonly signingName = 'ecr';
  readonly codec = jsonCodec('AmazonEC2ContainerRegistry_V20150921');
  readonly throttle = { code: 'ThrottlingException', status: 400, message: 'Rate exceeded' };
  readonly operations: Record<string, OperationHandler>;
  /** By account|region, then repository name. */
  private readonly registries = new Map<string, Map<string, EcrRepository>>();

  constructor() {
    const repo = (ctx: RequestContext, name: unknown): EcrRepository => {
      const r = this.registry(ctx.accountId, ctx.region).get(String(name));
      if (!r) throw new ServiceError('RepositoryNotFoundException', `The repository with name '${String(name)}' does not exist in the registry with id '${ctx.accountId}'`, 400);
      return r;
    };
    const byArn = (ctx: RequestContext, arn: unknown): EcrRepository => {
      const r = [...this.registry(ctx.accountId, ctx.region).values()].find((x) => x.arn === arn);
      if (!r) throw new ServiceError('RepositoryNotFoundException', `The repository with arn '${String(arn)}' does not exist`, 400);
      return r;
    };
    const tagsIn = (tags: unknown): [string, string][] => {
      const list = (tags ?? []) as { Key?: string; Value?: string }[];
      for (const t of list) if (!t.Key) throw new ServiceError('InvalidTagParameterException', 'Tag keys must not be empty', 400);
      return list.map((t) => [t.Key!, t.Value ?? '']);
    };
    this.operations = {
      CreateRepository: (input, ctx) => {
        const name = String(input.repositoryName ?? '');
        if (!NAME_PATTERN.test(name)) throw new ServiceError('InvalidParameterException', `Invalid parameter at 'repositoryName' failed to satisfy constraint: 'must satisfy regular expression ${NAME_PATTERN.source}'`, 400);
        const registry = this.registry(ctx.accountId, ctx.region);
        if (registry.has(name)) throw new ServiceError('RepositoryAlreadyExistsException', `The repository with name '${name}' already exists in the registry with id '${ctx.accountId}'`, 400);
        const mutability = String(input.imageTagMutability ?? 'MUTABLE');
        if (!['MUTABLE', 'IMMUTABLE', 'MUTABLE_WITH_EXCLUSION', 'IMMUTABLE_WITH_EXCLUSION'].includes(mutability)) throw new ServiceError('InvalidParameterException', `Invalid imageTagMutability ${mutability}`, 400);
        const encryptionType = String(input.encryptionConfiguration?.encryptionType ?? 'AES256');
        if (!['AES256', 'KMS', 'KMS_DSSE'].includes(encryptionType)) throw new ServiceError('InvalidParameterException', `Invalid encryptionType ${encryptionType}`, 400);
        const r: EcrRepository = {
          name, registryId: ctx.accountId, createdAt: new Date(),
          arn: `arn:aws:ecr:${ctx.region}:${ctx.accountId}:repository/${name}`,
          uri: `${ctx.accountId}.dkr.ecr.${ctx.region}.amazonaws.com/${name}`,
          imageTagMutability: mutability, scanOnPush: input.imageScanningConfiguration?.scanOnPush === true,
          encryptionType, kmsKey: input.encryptionConfiguration?.kmsKey, tags: new Map(tagsIn(input.tags)), images: [],
        };
        registry.set(name, r);
        return { repository: this.wire(r) };
      },
      DescribeRepositories: (input, ctx) => {
        const names: string[] | undefined = input.repositoryNames;
        const all = names && names.length > 0 ? names.map((n) => repo(ctx, n)) : [...this.registry(ctx.accountId, ctx.region).values()];
        const start = input.nextToken ? Number(input.nextToken) : 0;
        const max = Number(input.maxResults ?? 100);
        const page = all.slice(start, start + max);
        return { repositories: page.map((r) => this.wire(r)), ...(start + max < all.length ? { nextToken: String(start + max) } : {}) };
      },
      PutLifecyclePolicy: (input, ctx) => {
        const r = repo(ctx, input.repositoryName);
        const text = String(input.lifecyclePolicyText ?? '');
        try {
          const parsed = JSON.parse(text) as { rules?: unknown[] };
          if (!Array.isArray(parsed.rules) || parsed.rules.length === 0) throw new Error('no rules');
        } catch {
          throw new ServiceError('InvalidParameterException', 'Invalid parameter at \'LifecyclePolicyText\' failed to satisfy constraint: \'Lifecycle policy validation failure\'', 400);
        }
        r.lifecyclePolicyText = text;
        return { registryId: r.registryId, repositoryName: r.name, lifecyclePolicyText: text };
      },
      GetLifecyclePolicy: (input, ctx) => {
        const r = repo(ctx, input.repositoryName);
        if (!r.lifecyclePolicyText) throw new ServiceError('LifecyclePolicyNotFoundException', `Lifecycle policy does not exist for the repository with name '${r.name}' in the registry with id '${r.registryId}'`, 400);
        return { registryId: r.registryId, repositoryName: r.name, lifecyclePolicyText: r.lifecyclePolicyText };
      },
      DeleteRepository: (input, ctx) => {
        const r = repo(ctx, input.repositoryName);
        if (r.images.length > 0 && input.force !== true) {
          throw new ServiceError('RepositoryNotEmptyException', `The repository with name '${r.name}' in registry with id '${r.registryId}' cannot be deleted because it still contains images`, 400);
        }
        this.registry(ctx.accountId, ctx.region).delete(r.name);
        return { repository: this.wire(r) };
      },
      ListTagsForResource: (input, ctx) => ({ tags: [...byArn(ctx, input.resourceArn).tags].map(([Key, Value]) => ({ Key, Value })) }),
      TagResource: (input, ctx) => {
        const r = byArn(ctx, input.resourceArn);
        for (const [k, v] of tagsIn(input.tags)) r.tags.set(k, v);
        return {};
      },
      DescribeImages: (input, ctx) => {
        const r = repo(ctx, input.repositoryName);
        const ids = (input.imageIds ?? []) as { imageTag?: string; imageDigest?: string }[];
        const found = ids.length === 0 ? r.images : ids.map((id) => {
          const image = r.images.find((i) => (id.imageDigest ? i.digest === id.imageDigest : i.tags.includes(String(id.imageTag))));
          if (!image) throw new ServiceError('ImageNotFoundException', `The image with imageId {imageDigest:'${id.imageDigest ?? 'null'}', imageTag:'${id.imageTag ?? 'null'}'} does not exist within the repository with name '${r.name}' in the registry with id '${r.registryId}'`, 400);
          return image;
        });
        return { imageDetails: found.map((i) => ({ registryId: r.registryId, repositoryName: r.name, imageDigest: i.digest, imageTags: i.tags,
          imageSizeInBytes: i.sizeBytes, imagePushedAt: i.pushedAt.getTime() / 1000, imageManifestMediaType: MANIFEST_MEDIA_TYPE })) };
      },
      GetAuthorizationToken: (_input, ctx) => ({ authorizationData: [{
        authorizationToken: Buffer.from(`AWS:${createHash('sha256').update(`${ctx.accountId}|${ctx.accessKeyId}|${ctx.clock.now()}`).digest('base64')}`).toString('base64'),
        expiresAt: (ctx.clock.now() + 12 * 3600_000) / 1000, proxyEndpoint: `https://${ctx.accountId}.dkr.ecr.${ctx.region}.amazonaws.com` }] }),
      BatchGetImage: (input, ctx) => {
        const r = repo(ctx, input.repositoryName);
        const ids = (input.imageIds ?? []) as { imageTag?: string; imageDigest?: string }[];
        const found = ids.map((id) => ({ id, image: r.images.find((i) => (id.imageDigest ? i.digest === id.imageDigest : i.tags.includes(String(id.imageTag)))) }));
        return {
          images: found.flatMap(({ id, image }) => (image ? [{ registryId: r.registryId, repositoryName: r.name, imageId: { imageDigest: image.digest, ...(id.imageTag ? { imageTag: id.imageTag } : {}) },
            imageManifestMediaType: MANIFEST_MEDIA_TYPE, imageManifest: JSON.stringify({ schemaVersion: 2, mediaType: MANIFEST_MEDIA_TYPE, layers: [{ digest: layerOf(image), size: image.sizeBytes }] }) }] : [])),
          failures: found.filter((f) => !f.image).map(({ id }) => ({ imageId: id, failureCode: 'ImageNotFound', failureReason: 'Requested image not found' })),
        };
      },
      GetDownloadUrlForLayer: (input, ctx) => {
        const r = repo(ctx, input.repositoryName);
        const layerDigest = String(input.layerDigest ?? '');
        if (!r.images.some((i) => layerOf(i) === layerDigest)) throw new ServiceError('LayersNotFoundException', `The specified layers '${layerDigest}' could not be found in the repository with name '${r.name}' in the registry with id '${r.registryId}'`, 400);
        return { layerDigest, downloadUrl: `https://prod-${ctx.region}-starport-layer-bucket.s3.${ctx.region}.amazonaws.com/${layerDigest.slice(7, 19)}/${r.name}/${layerDigest}` };
      },
    };
  }

  /** Put an image in a repository, as `docker push` would (immutable tags refuse an existing tag: ImageTagAlreadyExistsException). */
  pushImage(region: string, repositoryName: string, tag: string, accountId?: string): EcrImage {
    const r = [...this.registries.entries()].find(([k]) => k.endsWith(`|${region}`) && (!accountId || k.startsWith(`${accountId}|`)))?.[1].get(repositoryName);
    if (!r) throw new ServiceError('RepositoryNotFoundException', `The repository with name '${repositoryName}' does not exist`, 400);
    const existing = r.images.find((i) => i.tags.includes(tag));
    if (existing && r.imageTagMutability.startsWith('IMMUTABLE')) throw new ServiceError('ImageTagAlreadyExistsException', `The image tag '${tag}' already exists in the '${r.name}' repository and cannot be overwritten because the repository is immutable.`, 400);
    if (existing) existing.tags = existing.tags.filter((t) => t !== tag);
    const image = { digest: `sha256:${createHash('sha256').update(`${r.arn}|${tag}|${r.images.length}`).digest('hex')}`, tags: [tag], pushedAt: new Date(), sizeBytes: 12_345_678 };
    r.images.push(image);
    return image;
  }

  /** The tags of a repository by ARN, in any registry (the IAM checks' aws:ResourceTag). */
  tagsOf(arn: string): Map<string, string> | undefined {
    for (const registry of this.registries.values()) for (const r of registry.values()) if (r.arn === arn) return r.tags;
    return undefined;
  }

  reset(): void {
    this.registries.clear();
  }

  private registry(accountId: string, region: string): Map<string, EcrRepository> {
    const key = `${accountId}|${region}`;
    let r = this.registries.get(key);
    if (!r) {
      r = new Map();
      this.registries.set(key, r);
    }
    return r;
  }

  private wire(r: EcrRepository): Record<string, unknown> {
    return {
      repositoryArn: r.arn, registryId: r.registryId, repositoryName: r.name, repositoryUri: r.uri, createdAt: r.createdAt.getTime() / 1000,
      imageTagMutability: r.imageTagMutability, imageScanningConfiguration: { scanOnPush: r.scanOnPush },
      encryptionConfiguration: { encryptionType: r.encryptionType, ...(r.kmsKey ? { kmsKey: r.kmsKey } : {}) },
    };
  }
}
