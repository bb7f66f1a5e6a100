// Issue 17's "pulls are allowed to the node role": the sandbox's kubelet pulls an ECR image of the
// account as the node's instance-profile session (ecr:GetAuthorizationToken, ecr:BatchGetImage,
// ecr:GetDownloadUrlForLayer), authorised by IAM and recorded in the call log. With every principal
// under IAM the reference platform with route-guide's image in ECR converges once the tag is
// pushed; a tag not pushed yet leaves the pods Pending ("not found") until the push; the node role
// without AmazonEC2ContainerRegistryReadOnly is refused (ErrImagePull, then ImagePullBackOff) until
// the policy is attached again.
import t from 'tap';
import { until } from '../helpers/until.js';
import { readFileSync } from 'node:fs';
import { PatchStrategy, type KubernetesObject, type KubernetesObjectApi } from '@kubernetes/client-node';
import { AttachRolePolicyCommand, DetachRolePolicyCommand } from '@aws-sdk/client-iam';
import { DescribeNodegroupCommand, ListNodegroupsCommand } from '@aws-sdk/client-eks';
import { startTestSandbox, type TestSandbox } from '../helpers/sandbox.js';
import { referenceSpec } from '../helpers/specs.js';
import { applyPlatform, type ApplyResult } from '../../src/engine.js';
import { clusterAccessFor } from '../../src/cloud/cluster-access.js';
import type { ResolvedSpec } from '../../src/platform-spec/resolved.js';
import type { EcrService } from '../../src/sandbox/aws/services/ecr/index.js';

interface ContainerStatus { image?: string; state?: { waiting?: { reason?: string; message?: string } } }
interface Pod { metadata: { name: string }; spec?: { containers: { image: string }[] }; status?: { phase?: string; podIP?: string; containerStatuses?: ContainerStatus[] } }
interface KubeEvent { type: string; reason: string; message: string; involvedObject: { name: string } }

// Two applies from empty: minutes each on a loaded 2-core machine; deadlines only bound a hang.
t.setTimeout(900_000);

const READ_ONLY = 'arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryReadOnly';

const withImage = (tag: string) => referenceSpec((s) => { s.services![0]!.image = { repository: 'route-guide', tag }; });
const imageUri = (sb: TestSandbox, tag: string) => `${sb.aws.accountId}.dkr.ecr.ap-northeast-1.amazonaws.com/route-guide:${tag}`;
const push = (sb: TestSandbox, tag: string) => sb.aws.service<EcrService>('ecr').pushImage('ap-northeast-1', 'route-guide', tag);

/** Starts an apply of `spec` (the caller awaits it), as a pipeline would before pushing the image. */
function startApply(sb: TestSandbox, spec: ResolvedSpec): Promise<ApplyResult> {
  return applyPlatform({ spec, aws: sb.clients, kube: clusterAccessFor(spec, sb.clients), signal: AbortSignal.timeout(600_000) });
}

/** Pushes `tag` as soon as apply has made the repository (what a CI job does after the first apply). */
async function pushOnceRepositoryExists(sb: TestSandbox, tag: string): Promise<void> {
  await until('the repository to exist', async () => {
    try {
      push(sb, tag);
      return true;
    } catch {
      return undefined;
    }
  });
}

const routeGuidePods = async (api: KubernetesObjectApi, image: string) =>
  ((await api.list('v1', 'Pod', 'default')).items as unknown as Pod[]).filter((p) => p.spec?.containers[0]?.image === image);
const eventsOf = async (api: KubernetesObjectApi, pods: Pod[]) =>
  ((await api.list('v1', 'Event', 'default')).items as unknown as KubeEvent[]).filter((e) => pods.some((p) => p.metadata.name === e.involvedObject.name));
const waitingReason = (p: Pod) => p.status?.containerStatuses?.[0]?.state?.waiting?.reason;

/** Waits until every pod of `image` is Pending with its container waiting in one of `reasons`. */
async function pendingPods(api: KubernetesObjectApi, image: string, reasons: string[], deadlineMs?: number): Promise<Pod[]> {
  return until(`pods of ${image} waiting in ${reasons.join('/')}`, async () => {
    const pods = await routeGuidePods(api, image);
    return pods.length > 0 && pods.every((p) => p.status?.phase === 'Pending' && !p.status.podIP && reasons.includes(waitingReason(p) ?? '')) ? pods : undefined;
  }, deadlineMs);
}

async function runningPods(api: KubernetesObjectApi, image: string): Promise<Pod[]> {
  return until(`pods of ${image} to run`, async () => {
    const pods = await routeGuidePods(api, image);
    return pods.length > 0 && pods.every((p) => p.status?.phase === 'Running' && p.status.podIP) ? pods : undefined;
  });
}

async function nodeRoleName(sb: TestSandbox, spec: ResolvedSpec): Promise<string> {
  const clusterName = spec.cluster!.name;
  const [group] = (await sb.clients.eks.send(new ListNodegroupsCommand({ clusterName }))).nodegroups!;
  return (await sb.clients.eks.send(new DescribeNodegroupCommand({ clusterName, nodegroupName: group! }))).nodegroup!.nodeRole!.split('/').pop()!;
}

/** route-guide's Deployment rolled to another image (new pods, which pull it). */
async function rollTo(api: KubernetesObjectApi, image: string): Promise<void> {
  const live = await api.read({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'route-guide', namespace: 'default' } }) as KubernetesObject & { spec: { template: { spec: { containers: { image: string }[] } } } };
  const containers = live.spec.template.spec.containers.map((c, i) => (i === 0 ? { ...c, image } : c));
  await api.patch({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'route-guide', namespace: 'default' }, spec: { template: { spec: { containers } } } } as KubernetesObject,
    undefined, undefined, 'test', undefined, PatchStrategy.MergePatch);
}

const kubeletCalls = (sb: TestSandbox, mark = 0) => sb.aws.callLog.agentCalls(mark).filter((c) => c.agent === 'kubelet');

t.test('every principal under IAM: the platform with an ECR image converges, the node role pulling it', async (t) => {
  const shipped = JSON.parse(readFileSync('ops/iam/platformd-policy.json', 'utf8')) as unknown;
  const sb = await startTestSandbox({ principalPolicy: shipped });
  t.teardown(sb.close);
  const spec = await withImage('1.0.0');
  const applying = startApply(sb, spec);
  await pushOnceRepositoryExists(sb, '1.0.0');
  const applied = await applying;
  t.same(applied.failed, [], 'nothing failed');
  t.ok(applied.ok, 'the platform with an ECR image converges');

  const api = await clusterAccessFor(spec, sb.clients).objects();
  const pods = await runningPods(api, imageUri(sb, '1.0.0'));
  t.ok(pods.length > 0, `${pods.length} route-guide pods run ${imageUri(sb, '1.0.0')}`);
  t.ok((await eventsOf(api, pods)).some((e) => e.reason === 'Pulled' && e.message === `Successfully pulled image "${imageUri(sb, '1.0.0')}"`), 'the kubelet reports the pull');

  const calls = sb.aws.callLog.everyCall();
  t.same(calls.filter((c) => c.decision === 'denied').map((c) => `${c.principal} ${c.service}:${c.operation} ${c.errorCode}`), [], 'not one call refused, whoever made it');
  const role = await nodeRoleName(sb, spec);
  const session = new RegExp(`^arn:aws:sts::${sb.aws.accountId}:assumed-role/${role}/i-[0-9a-f]{17}$`);
  const pulls = kubeletCalls(sb);
  t.ok(pulls.length > 0 && pulls.every((c) => c.service === 'ecr' && c.decision === 'allowed' && session.test(c.principal ?? '')), `every pull call was made and allowed as ${role}'s instance-profile session`);
  for (const op of ['GetAuthorizationToken', 'BatchGetImage', 'GetDownloadUrlForLayer']) t.ok(pulls.some((c) => c.operation === op && c.status === 200), `the node made ecr:${op}`);
});

t.test('a tag not pushed yet leaves the pods Pending until the push; the node role without ECR read access is refused until it has it again', async (t) => {
  const sb = await startTestSandbox();
  t.teardown(sb.close);
  const spec = await withImage('1.0.0');
  const uri = imageUri(sb, '1.0.0');
  const applying = startApply(sb, spec);
  const api = await until('the cluster to answer', async () => {
    try {
      const objects = await clusterAccessFor(spec, sb.clients).objects();
      await objects.list('v1', 'Pod', 'default');
      return objects;
    } catch {
      return undefined;
    }
  }, 180_000);
  // The cluster answers long before its node group, add-ons and the Deployment exist: this wait
  // spans most of an apply from empty, minutes on a loaded 2-core machine (the bound only bounds a hang).
  const missing = await pendingPods(api, uri, ['ErrImagePull', 'ImagePullBackOff'], 420_000);
  const notFound = (await eventsOf(api, missing)).filter((e) => e.type === 'Warning' && e.reason === 'Failed');
  t.ok(notFound.length > 0 && notFound.every((e) => e.message.startsWith(`Failed to pull image "${uri}": `) && e.message.endsWith(`${uri}: not found`)), `the kubelet says the image is not found: ${notFound[0]?.message}`);
  await pendingPods(api, uri, ['ImagePullBackOff']);
  t.pass('and backs off');
  push(sb, '1.0.0');
  const applied = await applying;
  t.same(applied.failed, [], 'once the tag is pushed, the next pull succeeds and the apply converges');
  t.ok((await runningPods(api, uri)).length > 0, 'the pods run');

  const role = await nodeRoleName(sb, spec);
  await sb.clients.iam.send(new DetachRolePolicyCommand({ RoleName: role, PolicyArn: READ_ONLY }));
  const mark = sb.aws.callLog.mark();
  const next = imageUri(sb, '1.1.0');
  push(sb, '1.1.0');
  await rollTo(api, next);
  const refused = await pendingPods(api, next, ['ErrImagePull', 'ImagePullBackOff']);
  const failed = (await eventsOf(api, refused)).filter((e) => e.type === 'Warning' && e.reason === 'Failed');
  t.ok(failed.length > 0 && failed.every((e) => e.message.startsWith(`Failed to pull image "${next}": `) && / 401 Unauthorized$/.test(e.message)),
    `without a registry token the runtime's pull is unauthorised: ${failed[0]?.message}`);
  await pendingPods(api, next, ['ImagePullBackOff']);
  t.pass('the refused pods back off');
  const denials = kubeletCalls(sb, mark).filter((c) => c.decision === 'denied');
  t.ok(denials.length > 0 && denials.every((c) => c.operation === 'GetAuthorizationToken' && c.errorCode === 'AccessDeniedException' && c.principal?.includes(`:assumed-role/${role}/i-`)),
    `the call log holds the node role's denials (${denials.length} × ${denials[0]?.operation} ${denials[0]?.errorCode})`);

  await sb.clients.iam.send(new AttachRolePolicyCommand({ RoleName: role, PolicyArn: READ_ONLY }));
  t.ok((await runningPods(api, next)).length > 0, 'with the policy attached again, the next retry pulls and the pods run');
});

