// Issue 14's acceptance for every principal at once: the reference platform converges with IAM
// enforced for platformd (its shipped policy), the load balancer controller and the VPC CNI (their
// IRSA roles), and the call log — HTTP requests and the agents' in-process calls — holds decisions
// of all three and not one denial. Then the CNI's role loses AmazonEKS_CNI_Policy, or its trust
// names another service account: once aws-node restarts (an add-on update rolls it) its calls
// fail, new pods get no address (Pending, the Deployment unavailable) and the add-on reports it.
import { until } from '../helpers/until.js';
import t, { type Test } from 'tap';
import { readFileSync } from 'node:fs';
import { PatchStrategy, type KubernetesObject, type KubernetesObjectApi } from '@kubernetes/client-node';
import { DetachRolePolicyCommand, GetRoleCommand, UpdateAssumeRolePolicyCommand } from '@aws-sdk/client-iam';
import { DescribeAddonCommand, UpdateAddonCommand } from '@aws-sdk/client-eks';
import { DescribeNetworkInterfacesCommand } from '@aws-sdk/client-ec2';
import { startTestSandbox, type TestSandbox } from '../helpers/sandbox.js';
import { referenceSpec } from '../helpers/specs.js';
import { applyPlatform } from '../../src/engine.js';
import { clusterAccessFor } from '../../src/cloud/cluster-access.js';
import type { Ec2Service } from '../../src/sandbox/aws/services/ec2/index.js';
import type { PlatformSpec } from '../../src/platform-spec/types.js';

interface Pod { metadata: { name: string; labels?: Record<string, string> }; status?: { phase?: string; podIP?: string } }
interface Eni { networkInterfaceId: string; description: string; attachment?: { instanceId: string } }

async function converged(t: Test, principalPolicy?: unknown): Promise<{ sb: TestSandbox; spec: PlatformSpec; api: KubernetesObjectApi }> {
  const sb = await startTestSandbox(principalPolicy === undefined ? {} : { principalPolicy });
  t.teardown(sb.close);
  const spec = await referenceSpec();
  const kube = clusterAccessFor(spec, sb.clients);
  t.same((await applyPlatform({ spec, aws: sb.clients, kube })).failed, [], 'the reference platform converged');
  return { sb, spec, api: await kube.objects() };
}

const podsOf = async (api: KubernetesObjectApi, app: string) =>
  ((await api.list('v1', 'Pod', 'default')).items as unknown as Pod[]).filter((p) => p.metadata.labels?.app === app || p.metadata.name.startsWith(`${app}-`));

t.test('platformd, the controller and the CNI all under IAM: the platform converges with zero denials in the call log', async (t) => {
  const shipped = JSON.parse(readFileSync('ops/iam/platformd-policy.json', 'utf8')) as unknown;
  const { sb, spec, api } = await converged(t, shipped);
  const addon = (await sb.clients.eks.send(new DescribeAddonCommand({ clusterName: spec.cluster!.name, addonName: 'vpc-cni' }))).addon!;
  const cniRole = addon.serviceAccountRoleArn!.split('/').pop()!;

  // ipamd keeps one interface's worth of addresses warm in the background: wait for its first spare interface.
  await until('aws-node to attach a spare interface', async () =>
    (sb.aws.callLog.agentCalls().some((c) => c.agent === 'aws-node' && c.operation === 'ModifyNetworkInterfaceAttribute') ? true : undefined));
  const calls = sb.aws.callLog.everyCall();
  const perPrincipal = new Map<string, number>();
  for (const c of calls) perPrincipal.set(c.principal?.replace(/\/[^/]+$/, '/…') ?? '(none)', (perPrincipal.get(c.principal?.replace(/\/[^/]+$/, '/…') ?? '(none)') ?? 0) + 1);
  t.comment(`${calls.length} calls: ${[...perPrincipal].map(([p, n]) => `${n} by ${p}`).join(', ')}`);
  t.same(calls.filter((c) => c.decision === 'denied').map((c) => `${c.principal} ${c.service}:${c.operation} ${c.errorCode}`), [], 'not one call refused, whoever made it');
  t.ok(calls.some((c) => c.decision === 'allowed' && c.principal === `arn:aws:iam::${sb.aws.accountId}:user/sandbox-admin` && c.operation === 'CreateVpc'), 'platformd\'s calls carry its principal and IAM\'s decision');
  const lbc = calls.filter((c) => c.agent === 'aws-load-balancer-controller' && c.decision === 'allowed');
  t.ok(lbc.some((c) => c.operation === 'CreateLoadBalancer' && /:assumed-role\/.+\/\d+$/.test(c.principal ?? '')), 'the controller created the ALB as its IRSA session');
  const cni = calls.filter((c) => c.agent === 'aws-node');
  t.ok(cni.length > 0 && cni.every((c) => c.decision === 'allowed' && c.principal?.startsWith(`arn:aws:sts::${sb.aws.accountId}:assumed-role/${cniRole}/`)), `every CNI call was made and allowed as ${cniRole}'s session`);
  for (const op of ['DescribeNetworkInterfaces', 'AssignPrivateIpAddresses', 'CreateNetworkInterface', 'AttachNetworkInterface', 'ModifyNetworkInterfaceAttribute']) {
    t.ok(cni.some((c) => c.operation === op && c.status === 200), `aws-node made ${op}`);
  }

  // What the calls did: each node's instance holds aws-K8S-<instance> interfaces, and every pod runs with an address.
  const enis = (await sb.aws.service<Ec2Service>('ec2').invoke<{ networkInterfaceSet: Eni[] }>('DescribeNetworkInterfaces',
    { Filter: [{ Name: 'tag:cluster.k8s.amazonaws.com/name', Value: [spec.cluster!.name] }] }, spec.region)).networkInterfaceSet;
  t.ok(enis.length > 0 && enis.every((e) => e.description === `aws-K8S-${e.attachment?.instanceId}`), `${enis.length} CNI interfaces attached to their nodes`);
  const pods = (await api.list('v1', 'Pod', 'default')).items as unknown as Pod[];
  t.ok(pods.length > 0 && pods.every((p) => p.status?.phase === 'Running' && p.status.podIP), `all ${pods.length} pods run with an address`);
});

/** A Deployment change that replaces its pods (the sandbox names pods by generation). */
async function rollOut(api: KubernetesObjectApi, name: string): Promise<void> {
  await api.patch({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name, namespace: 'default' }, spec: { replicas: 3 } } as KubernetesObject,
    undefined, undefined, 'test', undefined, PatchStrategy.MergePatch);
}

/** An add-on update rolls aws-node: ipamd starts again and exchanges its token afresh. */
async function restartCni(sb: TestSandbox, spec: PlatformSpec, roleArn: string): Promise<void> {
  await sb.clients.eks.send(new UpdateAddonCommand({ clusterName: spec.cluster!.name, addonName: 'vpc-cni', serviceAccountRoleArn: roleArn, resolveConflicts: 'OVERWRITE' }));
  await until('the add-on update to finish', async () => {
    const a = (await sb.clients.eks.send(new DescribeAddonCommand({ clusterName: spec.cluster!.name, addonName: 'vpc-cni' }))).addon!;
    return a.status === 'ACTIVE' ? a : undefined;
  });
}

async function refusedEverywhere(t: Test, sb: TestSandbox, spec: PlatformSpec, api: KubernetesObjectApi, reason: RegExp): Promise<void> {
  await rollOut(api, 'route-guide');
  const pending = await until('route-guide pods without an address', async () => {
    const pods = await podsOf(api, 'route-guide');
    return pods.length === 3 && pods.every((p) => p.status?.phase === 'Pending' && !p.status.podIP) ? pods : undefined;
  });
  t.equal(pending.length, 3, 'the new pods stay Pending with no address');
  const deployment = await api.read({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'route-guide', namespace: 'default' } }) as KubernetesObject & { status?: { availableReplicas?: number } };
  t.equal(deployment.status?.availableReplicas ?? 0, 0, 'the Deployment has no available replica');
  const events = (await api.list('v1', 'Event', 'default')).items as unknown as { reason: string; message: string; involvedObject: { name: string } }[];
  t.ok(events.some((e) => e.reason === 'FailedCreatePodSandBox' && reason.test(e.message) && pending.some((p) => p.metadata.name === e.involvedObject.name)), 'the kubelet says why');
  const issues = await until('the add-on to report the issue', async () => {
    const a = (await sb.clients.eks.send(new DescribeAddonCommand({ clusterName: spec.cluster!.name, addonName: 'vpc-cni' }))).addon!;
    return (a.health?.issues ?? []).length > 0 ? a.health!.issues! : undefined;
  });
  t.match(issues, [{ code: 'InsufficientNumberOfReplicas' }], 'the vpc-cni add-on reports unhealthy aws-node pods');
}

t.test('the CNI role without AmazonEKS_CNI_Policy: aws-node\'s calls are refused and new pods get no address', async (t) => {
  const { sb, spec, api } = await converged(t);
  const roleArn = (await sb.clients.eks.send(new DescribeAddonCommand({ clusterName: spec.cluster!.name, addonName: 'vpc-cni' }))).addon!.serviceAccountRoleArn!;
  // The interfaces the CNI made, read over HTTP with the SDK as any EC2 client reads them.
  const enis = (await sb.clients.ec2.send(new DescribeNetworkInterfacesCommand({ Filters: [{ Name: 'tag:cluster.k8s.amazonaws.com/name', Values: [spec.cluster!.name] }] }))).NetworkInterfaces!;
  t.ok(enis.length > 0 && enis.every((e) => e.Description === `aws-K8S-${e.Attachment?.InstanceId}` && e.Attachment?.DeleteOnTermination === true
    && e.PrivateIpAddresses?.length === 10 && e.TagSet?.some((tag) => tag.Key === 'eks:eni:owner' && tag.Value === 'amazon-vpc-cni')), `${enis.length} CNI interfaces as ipamd leaves them: attached, deleted on termination, 10 addresses, tagged`);
  await sb.clients.iam.send(new DetachRolePolicyCommand({ RoleName: roleArn.split('/').pop()!, PolicyArn: 'arn:aws:iam::aws:policy/AmazonEKS_CNI_Policy' }));
  const mark = sb.aws.callLog.mark();
  await restartCni(sb, spec, roleArn);
  await refusedEverywhere(t, sb, spec, api, /UnauthorizedOperation/);
  const refused = sb.aws.callLog.agentCalls(mark).filter((c) => c.agent === 'aws-node' && c.decision === 'denied');
  t.ok(refused.length > 0 && refused.every((c) => c.errorCode === 'UnauthorizedOperation' && c.principal?.includes(`:assumed-role/${roleArn.split('/').pop()}/`)), `the call log holds the CNI session's denials (${refused.map((c) => c.operation).join(', ')})`);
});

t.test('the CNI role trusting another service account: the token exchange fails and new pods get no address', async (t) => {
  const { sb, spec, api } = await converged(t);
  const roleArn = (await sb.clients.eks.send(new DescribeAddonCommand({ clusterName: spec.cluster!.name, addonName: 'vpc-cni' }))).addon!.serviceAccountRoleArn!;
  const roleName = roleArn.split('/').pop()!;
  const trust = JSON.parse(decodeURIComponent((await sb.clients.iam.send(new GetRoleCommand({ RoleName: roleName }))).Role!.AssumeRolePolicyDocument!)) as { Statement: { Condition: { StringEquals: Record<string, string> } }[] };
  const subKey = Object.keys(trust.Statement[0]!.Condition.StringEquals).find((k) => k.endsWith(':sub'))!;
  t.equal(trust.Statement[0]!.Condition.StringEquals[subKey], 'system:serviceaccount:kube-system:aws-node', 'platformd\'s trust names aws-node');
  trust.Statement[0]!.Condition.StringEquals[subKey] = 'system:serviceaccount:kube-system:someone-else';
  await sb.clients.iam.send(new UpdateAssumeRolePolicyCommand({ RoleName: roleName, PolicyDocument: JSON.stringify(trust) }));
  await restartCni(sb, spec, roleArn);
  await refusedEverywhere(t, sb, spec, api, /AssumeRoleWithWebIdentity.*AccessDenied/);
});
