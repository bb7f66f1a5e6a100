// The emulated load balancer controller works as its IRSA role (issue 14 points 1 and 3): it
// exchanges its ServiceAccount's token for the role's credentials with
// sts:AssumeRoleWithWebIdentity and every ELBv2/EC2 call it makes is authorised against the
// role's policy. Under upstream's v3.5.0 policy the reference platform converges with no call
// refused; without the tag-on-create grants its creates are refused and the Ingress says so; a
// trust policy naming another service account makes the credential exchange fail.
import t, { type Test } from 'tap';
import { PatchStrategy, type KubernetesObject, type KubernetesObjectApi } from '@kubernetes/client-node';
import { CreatePolicyVersionCommand, GetRoleCommand, ListAttachedRolePoliciesCommand, UpdateAssumeRolePolicyCommand } from '@aws-sdk/client-iam';
import { DescribeLoadBalancersCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import { startTestSandbox, type TestSandbox } from '../helpers/sandbox.js';
import { referenceSpec } from '../helpers/specs.js';
import { applyPlatform } from '../../src/engine.js';
import { clusterAccessFor } from '../../src/cloud/cluster-access.js';
import { loadBalancerControllerPolicy } from '../../src/resources/iam/lbc-policy.js';
import { checksFor } from '../../src/sandbox/aws/iam-auth/checks.js';
import { emulatorDirectory } from '../../src/sandbox/aws/iam-auth/directory.js';
import { evaluateCheck } from '../../src/sandbox/aws/iam-auth/enforcer.js';
import { until } from '../helpers/until.js';

type Statement = { Action: string | string[]; Condition?: Record<string, Record<string, unknown>> };
interface Warning { name: string; reason: string; message: string }

async function converged(t: Test): Promise<{ sb: TestSandbox; api: KubernetesObjectApi; roleName: string; policyArn: string }> {
  const sb = await startTestSandbox();
  t.teardown(sb.close);
  const spec = await referenceSpec();
  const kube = clusterAccessFor(spec, sb.clients);
  t.same((await applyPlatform({ spec, aws: sb.clients, kube })).failed, [], 'the reference platform converged');
  const api = await kube.objects();
  const sa = await api.read({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'aws-load-balancer-controller', namespace: 'kube-system' } });
  const roleName = sa.metadata!.annotations!['eks.amazonaws.com/role-arn']!.split('/').pop()!;
  const attached = await sb.clients.iam.send(new ListAttachedRolePoliciesCommand({ RoleName: roleName }));
  return { sb, api, roleName, policyArn: attached.AttachedPolicies![0]!.PolicyArn! };
}

async function warnings(api: KubernetesObjectApi): Promise<Warning[]> {
  const events = (await api.list('v1', 'Event', 'default')).items as unknown as { involvedObject: { name: string }; type: string; reason: string; message: string }[];
  return events.filter((e) => e.type === 'Warning').map((e) => ({ name: e.involvedObject.name, reason: e.reason, message: e.message }));
}

/** Polls until `found` returns something; the deadline only bounds a hang. */
const warningMatching = (api: KubernetesObjectApi, name: string, pattern: RegExp) =>
  until(`a Warning on ${name} matching ${pattern}`, async () => (await warnings(api)).find((w) => w.name === name && pattern.test(w.message)));

async function nudge(api: KubernetesObjectApi, o: KubernetesObject, key: string): Promise<void> {
  await api.patch({ apiVersion: o.apiVersion, kind: o.kind, metadata: { name: o.metadata!.name!, namespace: o.metadata!.namespace, annotations: { [`test.example/${key}`]: String(Date.now()) } } },
    undefined, undefined, 'test', undefined, PatchStrategy.MergePatch);
}

function ingress(name: string, group: string, cert: string): KubernetesObject {
  const A = 'alb.ingress.kubernetes.io/';
  return {
    apiVersion: 'networking.k8s.io/v1', kind: 'Ingress',
    metadata: { name, namespace: 'default', annotations: { [`${A}scheme`]: 'internet-facing', [`${A}target-type`]: 'ip', [`${A}backend-protocol-version`]: 'GRPC',
      [`${A}listen-ports`]: '[{"HTTPS":443}]', [`${A}certificate-arn`]: cert, [`${A}group.name`]: group } },
    spec: { ingressClassName: 'alb', rules: [{ http: { paths: [{ path: '/routeguide.RouteGuide/', pathType: 'Prefix', backend: { service: { name: 'route-guide', port: { number: 50051 } } } }] } }] },
  } as KubernetesObject;
}

const isTagOnCreate = (s: Statement, service: string) =>
  [s.Action].flat().some((a) => a.startsWith(`${service}:`)) && Object.values(s.Condition ?? {}).some((c) => Object.keys(c).some((k) => k.endsWith(':CreateAction')));

function policyWithout(...services: string[]): { Version: string; Statement: Statement[] } {
  const doc = loadBalancerControllerPolicy('v3.5.0') as unknown as { Version: string; Statement: Statement[] };
  return { ...doc, Statement: doc.Statement.filter((s) => !services.some((svc) => isTagOnCreate(s, svc))) };
}

t.test('under v3.5.0\'s policy the controller creates the ALB as its IRSA role, with no call refused; without tag-on-create it is refused', async (t) => {
  const { sb, api, roleName, policyArn } = await converged(t);
  t.equal((await sb.clients.elbv2.send(new DescribeLoadBalancersCommand({}))).LoadBalancers!.length, 1, 'the ALB exists');
  const session = new RegExp(`^arn:aws:sts::\\d{12}:assumed-role/${roleName}/\\d+$`);
  const ours = sb.iam.decisions.filter((d) => session.test(d.principalArn));
  const made = new Set(ours.map((d) => `${d.service}:${d.operation}`));
  for (const op of ['ec2:CreateSecurityGroup', 'elbv2:CreateTargetGroup', 'elbv2:CreateLoadBalancer', 'elbv2:CreateListener', 'elbv2:CreateRule', 'elbv2:RegisterTargets']) {
    t.ok(made.has(op), `${op} was made as the role's session and authorised`);
  }
  t.same(ours.filter((d) => !d.allowed), [], `no call of the session refused (${ours.length} authorised)`);

  // The role's policy without the EC2 tag-on-create grant: the new group's security group is refused.
  const cert = (await api.read({ apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name: 'grpc-demo', namespace: 'default' } })).metadata!.annotations!['alb.ingress.kubernetes.io/certificate-arn']!;
  await sb.clients.iam.send(new CreatePolicyVersionCommand({ PolicyArn: policyArn, PolicyDocument: JSON.stringify(policyWithout('ec2', 'elasticloadbalancing')), SetAsDefault: true }));
  const second = await api.create(ingress('second-alb', 'second', cert));
  const sgRefused = await warningMatching(api, 'second-alb', /UnauthorizedOperation/);
  t.match(sgRefused, { reason: 'FailedDeployModel', message: /Failed deploy model due to UnauthorizedOperation: .*assumed-role\/.* is not authorized to perform: ec2:CreateTags on resource: arn:aws:ec2:.*:security-group\/\*/ },
    'CreateSecurityGroup refused: its tags need ec2:CreateTags with ec2:CreateAction');
  t.ok(sb.iam.decisions.some((d) => session.test(d.principalArn) && !d.allowed && d.operation === 'CreateSecurityGroup'), 'the denial is the session\'s');

  // Security groups allowed again, ELBv2's tag-on-create grant still missing: the target group is refused.
  await sb.clients.iam.send(new CreatePolicyVersionCommand({ PolicyArn: policyArn, PolicyDocument: JSON.stringify(policyWithout('elasticloadbalancing')), SetAsDefault: true }));
  await nudge(api, second, 'retry');
  const tgRefused = await warningMatching(api, 'second-alb', /AccessDenied/);
  t.match(tgRefused.message, /Failed deploy model due to AccessDenied: .* is not authorized to perform: elasticloadbalancing:AddTags on resource: arn:aws:elasticloadbalancing:.*:targetgroup\/k8s-/,
    'CreateTargetGroup refused: its tags need elasticloadbalancing:AddTags with elasticloadbalancing:CreateAction');
  t.equal((await sb.clients.elbv2.send(new DescribeLoadBalancersCommand({}))).LoadBalancers!.length, 1, 'no second ALB');

  // CreateLoadBalancer with tags asks the same (the controller stops at its target groups first).
  const directory = emulatorDirectory(sb.aws);
  const createLb = checksFor({ service: 'elbv2', operation: 'CreateLoadBalancer', region: 'ap-northeast-1', accountId: sb.aws.accountId, directory,
    input: { Name: 'k8s-second-0123456789', Type: 'application', Tags: [{ Key: 'elbv2.k8s.aws/cluster', Value: 'grpc-demo' }, { Key: 'ingress.k8s.aws/stack', Value: 'second' }] } });
  const arn = `arn:aws:sts::${sb.aws.accountId}:assumed-role/${roleName}/1`;
  const under = async (doc: unknown) => Promise.all(createLb.map((c) => evaluateCheck(arn, [{ name: 'lbc', document: doc }], c, sb.aws.accountId)));
  t.same(await under(loadBalancerControllerPolicy('v3.5.0')), ['Allowed', 'Allowed'], 'CreateLoadBalancer and its AddTags allowed under v3.5.0');
  t.same(await under(policyWithout('elasticloadbalancing')), ['Allowed', 'ImplicitlyDenied'], 'its AddTags refused without the tag-on-create grant');
  t.match(createLb[1], { action: 'elasticloadbalancing:AddTags', context: { 'elasticloadbalancing:CreateAction': 'CreateLoadBalancer' } });
});

t.test('a trust policy naming another service account: AssumeRoleWithWebIdentity is refused and the Ingress says so', async (t) => {
  const { sb, api, roleName } = await converged(t);
  const role = (await sb.clients.iam.send(new GetRoleCommand({ RoleName: roleName }))).Role!;
  const trust = JSON.parse(decodeURIComponent(role.AssumeRolePolicyDocument!)) as { Statement: { Condition: { StringEquals: Record<string, string> } }[] };
  const subKey = Object.keys(trust.Statement[0]!.Condition.StringEquals).find((k) => k.endsWith(':sub'))!;
  t.equal(trust.Statement[0]!.Condition.StringEquals[subKey], 'system:serviceaccount:kube-system:aws-load-balancer-controller', 'platformd\'s trust names the controller');
  trust.Statement[0]!.Condition.StringEquals[subKey] = 'system:serviceaccount:kube-system:someone-else';
  await sb.clients.iam.send(new UpdateAssumeRolePolicyCommand({ RoleName: roleName, PolicyDocument: JSON.stringify(trust) }));

  // A new controller pod (kubectl rollout restart) exchanges its token afresh.
  const deployment = await api.read({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'aws-load-balancer-controller', namespace: 'kube-system' } });
  await api.patch({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: deployment.metadata!.name!, namespace: 'kube-system' },
    spec: { template: { metadata: { annotations: { 'kubectl.kubernetes.io/restartedAt': new Date().toISOString() } } } } } as KubernetesObject,
  undefined, undefined, 'test', undefined, PatchStrategy.MergePatch);
  const refused = await warningMatching(api, 'grpc-demo', /AssumeRoleWithWebIdentity/);
  t.match(refused, { reason: 'FailedDeployModel', message: /AccessDenied.*operation error STS: AssumeRoleWithWebIdentity, https response error StatusCode: 403, api error AccessDenied: Not authorized to perform sts:AssumeRoleWithWebIdentity/ },
    'the Ingress shows the Warning with STS\'s refusal');
});
