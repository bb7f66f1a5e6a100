// The emulated load balancer controller does with TargetGroupBindings and security groups what
// the real one does (issue 13 point 4): one binding per target group with spec.networking, the
// ALB's own security groups tagged at creation, the nodes' (cluster) security group opened to the
// ALB from what the bindings read back. Under a CRD that prunes spec.networking no rule is opened
// and the gRPC call through the ALB fails, with the reason in DescribeTargetHealth. Deleting the
// Ingress removes the bindings, the rule and both security groups with the ALB.
import '../helpers/grpc-env.js';
import t from 'tap';
import * as grpc from '@grpc/grpc-js';
import { PatchStrategy, type KubernetesObject, type KubernetesObjectApi } from '@kubernetes/client-node';
import { DescribeSecurityGroupsCommand, type SecurityGroup } from '@aws-sdk/client-ec2';
import { DescribeClusterCommand } from '@aws-sdk/client-eks';
import { DescribeLoadBalancersCommand, DescribeTargetGroupsCommand, DescribeTargetHealthCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import { convergedPlatform } from '../helpers/platform.js';
import { eksKubeAccess } from '../../src/cloud/kube.js';
import { lbcCrds } from '../../src/resources/kube/lbc-manifests.js';
import { toClientModel } from '../../src/resources/kube/wire-form.js';
import { until } from '../helpers/until.js';

type Obj = KubernetesObject & Record<string, any>;
const TGB = { apiVersion: 'elbv2.k8s.aws/v1beta1', kind: 'TargetGroupBinding' };

t.test('TargetGroupBindings open the nodes to the ALB; a pruned spec.networking breaks the call, visibly', async (t) => {
  const { sb, target, creds, load } = await convergedPlatform(t);
  const Greeter = load('helloworld/helloworld.proto').helloworld.Greeter;
  const greeter = new Greeter(target, creds, { 'grpc.initial_reconnect_backoff_ms': 100, 'grpc.max_reconnect_backoff_ms': 200 });
  t.teardown(() => greeter.close());
  const hello = () => new Promise<any>((resolve, reject) =>
    greeter.sayHello({ name: 'sg' }, { deadline: Date.now() + 3000 }, (err: Error | null, res: unknown) => (err ? reject(err) : resolve(res))));
  t.same(await hello(), { message: 'Hello sg' }, 'the call passes through the ALB');

  const api: KubernetesObjectApi = await eksKubeAccess(sb.clients, 'grpc-demo').objects();
  const listTgbs = async () => ((await api.list(TGB.apiVersion, TGB.kind)).items ?? []) as Obj[];
  const tgs = (await sb.clients.elbv2.send(new DescribeTargetGroupsCommand({}))).TargetGroups!;
  const bindings = await listTgbs();
  t.equal(bindings.length, tgs.length, 'one TargetGroupBinding per target group');
  t.same(bindings.map((b) => b.spec.targetGroupARN).sort(), tgs.map((g) => g.TargetGroupArn).sort(), 'each names its target group');
  const greeterTg = tgs.find((g) => bindings.some((b) => b.spec.targetGroupARN === g.TargetGroupArn && b.spec.serviceRef.name.includes('greeter')))
    ?? tgs.find((g) => g.TargetGroupName?.includes('hello')) ?? tgs[0]!;
  const b0 = bindings.find((b) => b.spec.targetGroupARN === greeterTg.TargetGroupArn)!;
  t.equal(b0.metadata?.name, greeterTg.TargetGroupName, 'named like its target group');
  t.match(b0.spec, { targetType: 'ip', ipAddressType: 'ipv4', serviceRef: { name: String } }, 'targetType, ipAddressType and serviceRef');

  const groups = async (Filters: { Name: string; Values: string[] }[]) => (await sb.clients.ec2.send(new DescribeSecurityGroupsCommand({ Filters }))).SecurityGroups ?? [];
  const lb = (await sb.clients.elbv2.send(new DescribeLoadBalancersCommand({}))).LoadBalancers![0]!;
  const [managed] = await groups([{ Name: 'tag:ingress.k8s.aws/resource', Values: ['ManagedLBSecurityGroup'] }]);
  const [backend] = await groups([{ Name: 'tag:elbv2.k8s.aws/resource', Values: ['backend-sg'] }]);
  t.ok(managed && backend, 'the frontend and the shared backend security group exist');
  t.match(managed!.GroupName, /^k8s-[a-z0-9]+-[a-z0-9]+-[0-9a-f]{10}$|^k8s-[a-z0-9]+-[0-9a-f]{10}$/, 'frontend named k8s-…-<hash>');
  t.match(backend!.GroupName, /^k8s-traffic-grpcdemo-[0-9a-f]{10}$/, 'backend named k8s-traffic-<cluster>-<hash>');
  t.same(new Set(lb.SecurityGroups), new Set([managed!.GroupId, backend!.GroupId]), 'the ALB carries both');
  t.match(Object.fromEntries(managed!.Tags!.map((x) => [x.Key, x.Value])), { 'elbv2.k8s.aws/cluster': 'grpc-demo', 'ingress.k8s.aws/stack': String }, 'tagged at creation');
  t.ok(managed!.IpPermissions!.some((p) => p.FromPort === 443 && p.IpRanges?.some((r) => r.CidrIp === '0.0.0.0/0')), 'the frontend group lets 443 in');
  t.same(b0.spec.networking.ingress[0].from, [{ securityGroup: { groupID: backend!.GroupId } }], 'spec.networking: from the backend group');

  const clusterSgId = (await sb.clients.eks.send(new DescribeClusterCommand({ name: 'grpc-demo' }))).cluster!.resourcesVpcConfig!.clusterSecurityGroupId!;
  const clusterSg = async (): Promise<SecurityGroup> => (await groups([{ Name: 'group-id', Values: [clusterSgId] }]))[0]!;
  const fromBackend = (sg: SecurityGroup) => (sg.IpPermissions ?? []).filter((p) => p.UserIdGroupPairs?.some((g) => g.GroupId === backend!.GroupId));
  // The Service's targetPort (a number, or a port name resolved through the pods behind it).
  const portAsked = b0.spec.networking.ingress[0].ports[0].port as number | string;
  const registered = (await sb.clients.elbv2.send(new DescribeTargetHealthCommand({ TargetGroupArn: greeterTg.TargetGroupArn }))).TargetHealthDescriptions!;
  const port = typeof portAsked === 'number' ? portAsked : registered[0]!.Target!.Port!;
  t.ok(registered.every((h) => h.Target?.Port === port), `spec.networking asks for the port the targets listen on (${JSON.stringify(portAsked)} → ${port})`);
  t.ok(fromBackend(await clusterSg()).some((p) => p.IpProtocol === 'tcp' && p.FromPort! <= port && port <= p.ToPort!), `the cluster security group lets tcp/${port} in from the backend group`);

  // The cut-down CRD platformd used to ship: spec.networking is not in its schema.
  const upstream = (lbcCrds('v3.5.0') as any[]).find((c) => c.spec.names.kind === 'TargetGroupBinding')!;
  const cut = structuredClone(upstream);
  for (const v of cut.spec.versions) {
    const props = v.schema.openAPIV3Schema.properties.spec.properties;
    v.schema.openAPIV3Schema.properties.spec.properties = { serviceRef: props.serviceRef, targetGroupARN: props.targetGroupARN, targetType: props.targetType };
  }
  await api.patch(toClientModel(cut), undefined, undefined, 'test', true, PatchStrategy.ServerSideApply);
  // The controller writes its bindings again (as after a restart) under the cut-down schema.
  for (const b of await listTgbs()) await api.delete(b);
  const ing = ((await api.list('networking.k8s.io/v1', 'Ingress')).items as Obj[])[0]!;
  await api.patch({ apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name: ing.metadata!.name!, namespace: ing.metadata!.namespace, annotations: { 'test.example/nudge': '1' } } },
    undefined, undefined, 'test', undefined, PatchStrategy.MergePatch);
  const pruned = await until('the bindings again', async () => { const l = await listTgbs(); return l.length === tgs.length ? l : undefined; });
  t.ok(pruned.every((b) => !('networking' in b.spec)), 'spec.networking is pruned from every binding');
  t.equal(fromBackend(await until('the rule revoked', async () => { const sg = await clusterSg(); return fromBackend(sg).length === 0 ? sg : undefined; })).length, 0,
    'no rule opens the nodes to the ALB');
  const health = (await sb.clients.elbv2.send(new DescribeTargetHealthCommand({ TargetGroupArn: greeterTg.TargetGroupArn }))).TargetHealthDescriptions!;
  t.ok(health.length > 0 && health.every((h) => h.TargetHealth?.State === 'unhealthy' && h.TargetHealth.Reason === 'Target.Timeout'), 'targets: unhealthy, Target.Timeout');
  t.match(health[0]!.TargetHealth!.Description, new RegExp(`no inbound rule of ${clusterSgId} allows tcp/${port}`), 'the description names the missing rule');
  await t.rejects(hello(), { code: grpc.status.UNAVAILABLE }, 'the gRPC call through the ALB fails');

  // Teardown: the Ingress goes, and with it the bindings, the rule and both groups.
  await api.patch(toClientModel(upstream), undefined, undefined, 'test', true, PatchStrategy.ServerSideApply);
  await api.delete(ing);
  await until('the Ingress gone', async () => ((await api.list('networking.k8s.io/v1', 'Ingress')).items.length === 0 ? true : undefined));
  t.same(await listTgbs(), [], 'no TargetGroupBinding left');
  t.same(await groups([{ Name: 'tag:elbv2.k8s.aws/cluster', Values: ['grpc-demo'] }]), [], 'no controller security group left');
  t.same(fromBackend(await clusterSg()), [], 'no rule left on the cluster security group');
  t.same((await sb.clients.elbv2.send(new DescribeLoadBalancersCommand({}))).LoadBalancers, [], 'the ALB is gone');
});
