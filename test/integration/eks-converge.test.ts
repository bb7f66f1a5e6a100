// Apply from an empty emulated account converges through network, IAM and EKS; a second plan is empty.
import t from 'tap';
import { startTestSandbox } from '../helpers/sandbox.js';
import { referenceSpec } from '../helpers/specs.js';
import { applyPlatform, planPlatform } from '../../src/engine.js';
import { DescribeClusterCommand, ListAccessEntriesCommand, DescribeAddonCommand } from '@aws-sdk/client-eks';
import { GetRoleCommand } from '@aws-sdk/client-iam';
import { normalisePolicy } from '../../src/resources/iam/policy-document.js';

const LAYERS = ['network', 'iam', 'eks'] as const;

t.test('network → IAM → EKS converges from empty, then plans nothing', async (t) => {
  const sb = await startTestSandbox();
  t.teardown(sb.close);
  const spec = await referenceSpec((s) => { s.cluster!.admins = ['arn:aws:iam::123456789012:role/PlatformAdmins']; });
  const opts = { spec, aws: sb.clients, layers: [...LAYERS] };
  const result = await applyPlatform(opts);
  t.same(result.failed, [], 'no failures');
  t.ok(result.ok);
  const again = await planPlatform(opts);
  t.same(again.plan.changes.map((c) => `${c.action} ${c.id} ${JSON.stringify(c.fields)}`), [], 'the second plan is empty');

  const cluster = (await sb.clients.eks.send(new DescribeClusterCommand({ name: 'grpc-demo' }))).cluster!;
  t.equal(cluster.status, 'ACTIVE');
  t.equal(cluster.accessConfig?.authenticationMode, 'API_AND_CONFIG_MAP', 'authentication mode set explicitly');
  t.equal(cluster.resourcesVpcConfig?.subnetIds?.length, 3, 'the private subnets');
  const entries = (await sb.clients.eks.send(new ListAccessEntriesCommand({ clusterName: 'grpc-demo' }))).accessEntries ?? [];
  t.ok(entries.includes('arn:aws:iam::123456789012:role/PlatformAdmins'), 'the listed admin has an access entry');
  t.ok(entries.includes('arn:aws:iam::123456789012:user/sandbox-admin'), 'the creator is bootstrap admin');

  const issuer = cluster.identity!.oidc!.issuer!.replace('https://', '');
  const role = (await sb.clients.iam.send(new GetRoleCommand({ RoleName: 'grpc-demo-irsa-aws-node' }))).Role!;
  t.equal(role.Path, '/platformd/grpc-demo/');
  t.same(normalisePolicy(role.AssumeRolePolicyDocument!), normalisePolicy({ Version: '2012-10-17', Statement: [{
    Effect: 'Allow', Principal: { Federated: `arn:aws:iam::123456789012:oidc-provider/${issuer}` }, Action: 'sts:AssumeRoleWithWebIdentity',
    Condition: { StringEquals: { [`${issuer}:sub`]: 'system:serviceaccount:kube-system:aws-node', [`${issuer}:aud`]: 'sts.amazonaws.com' } },
  }] }), 'the IRSA trust policy is exactly right');
  const cni = (await sb.clients.eks.send(new DescribeAddonCommand({ clusterName: 'grpc-demo', addonName: 'vpc-cni' }))).addon!;
  t.equal(cni.serviceAccountRoleArn, role.Arn, 'vpc-cni runs with its IRSA role');
  t.equal(cni.addonVersion, 'v1.19.5-eksbuild.3', 'the version EKS recommends');
});
