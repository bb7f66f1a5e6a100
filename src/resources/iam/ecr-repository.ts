// iam/ecr-repository/<name>: a private ECR repository a service's image lives in — immutable
// tags, scan on push, AES256 encryption, a lifecycle policy keeping the last N images, ownership
// tags at creation. Nodes pull with the node role's AmazonEC2ContainerRegistryReadOnly. Observing
// also asks which wanted image tags exist, so the plan can say what still has to be pushed.
import {
  CreateRepositoryCommand, DeleteRepositoryCommand, DescribeImagesCommand, DescribeRepositoriesCommand, GetLifecyclePolicyCommand,
  ListTagsForResourceCommand, PutLifecyclePolicyCommand, TagResourceCommand, type ECRClient, type Repository,
} from '@aws-sdk/client-ecr';
import { errorName, isNotFound } from '../../cloud/aws-errors.js';
import { deletionAllowed, ownedId, ownershipTags } from '../ownership.js';
import { defineKind, type Desired, type FieldChange, type KindContext, type Observed } from '../kind.js';
import type { OperatorAction } from '../plan-values.js';
import { appliedDigest, TAG_APPLIED_DIGEST, withOrigins } from '../applied-digest.js';

export interface EcrRepositoryProps {
  name: string;
  imageTagMutability: 'IMMUTABLE';
  scanOnPush: boolean;
  encryptionType: 'AES256';
  /** The lifecycle policy document (expire all but the newest N images). */
  lifecyclePolicy: Record<string, unknown>;
  /** Image tags the spec's services use (for the plan's push reminders; not compared). */
  imageTags: string[];
}
type EcrState = Omit<EcrRepositoryProps, 'imageTags' | 'imageTagMutability' | 'encryptionType'> & {
  imageTagMutability: string; encryptionType: string; hasImages: boolean;
  /** Wanted image tags the repository does not hold yet (read for the plan's push reminders). */
  missingTags: string[];
};


/** Keep the newest `keep` images, whatever their tags (ECR lifecycle policy grammar). */
export function keepLastImagesPolicy(keep: number): Record<string, unknown> {
  return { rules: [{ rulePriority: 1, description: `keep the last ${keep} images`, selection: { tagStatus: 'any', countType: 'imageCountMoreThan', countNumber: keep }, action: { type: 'expire' } }] };
}

/**
 * What diff compares, as the applied-digest records it. The lifecycle policy is compared whole
 * (one field), so it is recorded as one unit: its JSON text, not a map of its keys.
 */
const comparable = (p: EcrRepositoryProps) => ({ imageTagMutability: p.imageTagMutability, scanOnPush: p.scanOnPush, encryptionType: p.encryptionType,
  lifecyclePolicy: JSON.stringify(p.lifecyclePolicy) });

/** Record what platformd applied (resources/applied-digest.ts) once a create or update has completed. */
async function recordApplied(ctx: KindContext, arn: string, p: EcrRepositoryProps): Promise<void> {
  const value = appliedDigest(comparable(p));
  if (value !== undefined) await ctx.aws.ecr.send(new TagResourceCommand({ resourceArn: arn, tags: [{ Key: TAG_APPLIED_DIGEST, Value: value }] }), { abortSignal: ctx.signal });
}

/** What the Deployment pulls for a tag: <account>.dkr.ecr.<region>.amazonaws.com/<repo>:<tag>. */
export const imageOutput = (tag: string) => `image:${tag}`;

async function tagExists(ecr: ECRClient, name: string, tag: string): Promise<boolean> {
  try {
    return ((await ecr.send(new DescribeImagesCommand({ repositoryName: name, imageIds: [{ imageTag: tag }] }))).imageDetails ?? []).length > 0;
  } catch (err) {
    if (errorName(err) === 'ImageNotFoundException') return false;
    throw err;
  }
}

async function describe(ctx: KindContext, repo: Repository, imageTags: string[]): Promise<Observed<EcrState> | undefined> {
  const ecr = ctx.aws.ecr;
  const tags = (await ecr.send(new ListTagsForResourceCommand({ resourceArn: repo.repositoryArn }))).tags;
  const id = ownedId(tags, ctx.platform);
  if (!id) return undefined;
  const name = repo.repositoryName!;
  let lifecyclePolicy: Record<string, unknown> = {};
  try {
    lifecyclePolicy = JSON.parse((await ecr.send(new GetLifecyclePolicyCommand({ repositoryName: name }))).lifecyclePolicyText ?? '{}') as Record<string, unknown>;
  } catch (err) {
    if (errorName(err) !== 'LifecyclePolicyNotFoundException') throw err;
  }
  const hasImages = ((await ecr.send(new DescribeImagesCommand({ repositoryName: name, maxResults: 1 }))).imageDetails ?? []).length > 0;
  const uri = repo.repositoryUri!;
  const missing = [];
  for (const tag of imageTags) if (!(await tagExists(ecr, name, tag))) missing.push(tag);
  return {
    id, kind: ecrRepositoryKind.kind, physicalId: repo.repositoryArn!, owned: true, status: 'ACTIVE',
    state: { name, imageTagMutability: repo.imageTagMutability ?? 'MUTABLE', scanOnPush: repo.imageScanningConfiguration?.scanOnPush === true,
      encryptionType: repo.encryptionConfiguration?.encryptionType ?? 'AES256', lifecyclePolicy, hasImages, missingTags: missing },
    outputs: { arn: repo.repositoryArn, uri, name, ...Object.fromEntries(imageTags.map((t) => [imageOutput(t), `${uri}:${t}`])) },
    appliedDigest: tags?.find((t) => t.Key === TAG_APPLIED_DIGEST)?.Value,
  };
}

/** How to push `name:tag` once the repository exists (its URI holds the account id, known after creation). */
function pushReminder(name: string, tag: string, region: string, uri?: string): OperatorAction {
  const target = uri ?? `<account>.dkr.ecr.${region}.amazonaws.com/${name}`;
  return {
    id: `push ${name}:${tag}`,
    summary: uri
      ? `warning: image ${name}:${tag} does not exist in ECR yet; its pods cannot start until it is pushed`
      : `warning: image ${name}:${tag} cannot exist yet: apply creates the repository ${name}, then push the image; its pods cannot start until then`,
    detail: `aws ecr get-login-password --region ${region} | docker login --username AWS --password-stdin ${target.split('/')[0]}\ndocker push ${target}:${tag}`,
  };
}

const wantedTags = (desired: Desired<EcrRepositoryProps>[], name: string) => desired.find((d) => d.properties.name === name)?.properties.imageTags ?? [];

export const ecrRepositoryKind = defineKind<EcrRepositoryProps, EcrState>({
  kind: 'iam/ecr-repository',
  // An empty repository goes freely; one holding images needs deletion.allow: [repositories].
  deletionCategoryOf: (observed) => ((observed.state as EcrState).hasImages ? 'repositories' : undefined),
  async observeAll(ctx, desired) {
    // ECR has no tag filter: list the registry's repositories (paged), then each one's tags.
    const repos: Repository[] = [];
    let nextToken: string | undefined;
    do {
      const page = await ctx.aws.ecr.send(new DescribeRepositoriesCommand({ nextToken, maxResults: 1000 }));
      repos.push(...(page.repositories ?? []));
      nextToken = page.nextToken;
    } while (nextToken);
    const found = await Promise.all(repos.map((r) => describe(ctx, r, wantedTags(desired, r.repositoryName!))));
    return found.filter((o): o is Observed<EcrState> => o !== undefined);
  },
  operatorActions(desired, observed, { region }) {
    if (observed) return observed.state.missingTags.map((tag) => pushReminder(observed.state.name, tag, region, observed.outputs.uri as string | undefined));
    // Not created yet (the first plan): every image the services use still has to be pushed.
    return desired ? desired.properties.imageTags.map((tag) => pushReminder(desired.properties.name, tag, region)) : [];
  },
  diff(desired, observed) {
    const s = observed.state;
    const fields: FieldChange[] = [];
    if (desired.imageTagMutability !== s.imageTagMutability) fields.push({ path: 'imageTagMutability', old: s.imageTagMutability, new: desired.imageTagMutability });
    if (desired.scanOnPush !== s.scanOnPush) fields.push({ path: 'scanOnPush', old: s.scanOnPush, new: desired.scanOnPush });
    if (desired.encryptionType !== s.encryptionType) fields.push({ path: 'encryptionType', old: s.encryptionType, new: desired.encryptionType });
    if (JSON.stringify(desired.lifecyclePolicy) !== JSON.stringify(s.lifecyclePolicy)) fields.push({ path: 'lifecyclePolicy', old: s.lifecyclePolicy, new: desired.lifecyclePolicy });
    // Encryption is fixed at creation; tag mutability and scanning are set at creation here too.
    return withOrigins({ fields, replaces: fields.map((f) => f.path).filter((p) => p !== 'lifecyclePolicy') }, comparable(desired), observed.appliedDigest);
  },
  async create(ctx, desired) {
    const p = desired.properties;
    let repo: Repository | undefined;
    try {
      repo = (await ctx.aws.ecr.send(new CreateRepositoryCommand({ repositoryName: p.name, imageTagMutability: p.imageTagMutability,
        imageScanningConfiguration: { scanOnPush: p.scanOnPush }, encryptionConfiguration: { encryptionType: p.encryptionType },
        tags: ownershipTags(ctx.platform, desired.id) }))).repository;
    } catch (err) {
      if (errorName(err) !== 'RepositoryAlreadyExistsException') throw err;
      repo = (await ctx.aws.ecr.send(new DescribeRepositoriesCommand({ repositoryNames: [p.name] }))).repositories?.[0];
      // Reuse it only if it is ours (an interrupted run); never adopt someone else's repository.
      if (!repo || !(await describe(ctx, repo, []))) throw err;
    }
    await ctx.aws.ecr.send(new PutLifecyclePolicyCommand({ repositoryName: p.name, lifecyclePolicyText: JSON.stringify(p.lifecyclePolicy) }));
    await recordApplied(ctx, repo!.repositoryArn!, p);
    return (await describe(ctx, repo!, p.imageTags))!;
  },
  async update(ctx, desired, observed) {
    await ctx.aws.ecr.send(new PutLifecyclePolicyCommand({ repositoryName: observed.state.name, lifecyclePolicyText: JSON.stringify(desired.properties.lifecyclePolicy) }));
    await recordApplied(ctx, observed.physicalId, desired.properties);
    return (await this.refresh(ctx, observed))!;
  },
  async delete(ctx, observed) {
    try {
      // force only under the opt-in: the plan blocked it otherwise, and an image pushed since
      // the plan makes ECR refuse (RepositoryNotEmptyException) rather than lose it.
      await ctx.aws.ecr.send(new DeleteRepositoryCommand({ repositoryName: observed.state.name, force: deletionAllowed(ctx.spec.deletion, 'repositories') }));
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  },
  async refresh(ctx, observed) {
    try {
      const repo = (await ctx.aws.ecr.send(new DescribeRepositoriesCommand({ repositoryNames: [observed.state.name] }))).repositories?.[0];
      const fresh = repo ? await describe(ctx, repo, []) : undefined;
      // Keep the image URIs observed for the spec's tags: dependents resolve them from here.
      return fresh && { ...fresh, outputs: { ...observed.outputs, ...fresh.outputs } };
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw err;
    }
  },
  ready: () => true,
});
