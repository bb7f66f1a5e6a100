// What IAM asks for the VPC CNI's EC2 calls (checks-ec2.ts), judged against the sandbox's
// AmazonEKS_CNI_Policy: CreateNetworkInterface with tags is also ec2:CreateTags on the new
// interface with ec2:CreateAction (supported-iam-actions-tagging.html), which only the policy's
// network-interface/* statement allows (amazon-vpc-cni-k8s docs/iam-policy.md).
import t from 'tap';
import { checksFor, type ResourceDirectory } from '../../../../src/sandbox/aws/iam-auth/checks.js';
import { evaluateCheck } from '../../../../src/sandbox/aws/iam-auth/enforcer.js';
import { IamState } from '../../../../src/sandbox/aws/services/iam/state.js';

const ACCOUNT = '123456789012';
const REGION = 'ap-northeast-1';
const SESSION = `arn:aws:sts::${ACCOUNT}:assumed-role/irsa-aws-node/1`;
const directory: ResourceDirectory = { ec2Tags: () => ({}), ec2RouteTableOfAssociation: () => undefined, iamRole: () => undefined, eksObject: () => undefined, tagsOfArn: () => undefined };
const cniPolicy = () => {
  const doc = new IamState(ACCOUNT).policies.get('arn:aws:iam::aws:policy/AmazonEKS_CNI_Policy')!.versions[0]!.document;
  return JSON.parse(doc) as { Version: string; Statement: { Action: string[]; Resource: string | string[] }[] };
};
const checks = (operation: string, input: Record<string, unknown>) => checksFor({ service: 'ec2', operation, input, region: REGION, accountId: ACCOUNT, directory });
const decide = (doc: unknown, c: ReturnType<typeof checks>) => Promise.all(c.map((check) => evaluateCheck(SESSION, [{ name: 'cni', document: doc }], check, ACCOUNT)));

const create = checks('CreateNetworkInterface', { SubnetId: 'subnet-0a', Description: 'aws-K8S-i-0123', SecondaryPrivateIpAddressCount: 9,
  TagSpecification: [{ ResourceType: 'network-interface', Tag: [{ Key: 'node.k8s.amazonaws.com/instance_id', Value: 'i-0123' }, { Key: 'cluster.k8s.amazonaws.com/name', Value: 'grpc-demo' }] }] });

t.test('CreateNetworkInterface is checked on the new interface, its subnet, and as tag-on-create', async (t) => {
  t.match(create, [
    { action: 'ec2:CreateNetworkInterface', resource: `arn:aws:ec2:${REGION}:${ACCOUNT}:network-interface/*`, context: { 'aws:RequestTag/cluster.k8s.amazonaws.com/name': 'grpc-demo' } },
    { action: 'ec2:CreateNetworkInterface', resource: `arn:aws:ec2:${REGION}:${ACCOUNT}:subnet/subnet-0a` },
    { action: 'ec2:CreateTags', resource: `arn:aws:ec2:${REGION}:${ACCOUNT}:network-interface/*`, context: { 'ec2:CreateAction': 'CreateNetworkInterface' } },
  ]);
});

t.test('operations on an existing interface are checked on it and on the instance they name', async (t) => {
  t.match(checks('AttachNetworkInterface', { NetworkInterfaceId: 'eni-0b', InstanceId: 'i-0123', DeviceIndex: 1 }).map((c) => c.resource),
    [`arn:aws:ec2:${REGION}:${ACCOUNT}:network-interface/eni-0b`, `arn:aws:ec2:${REGION}:${ACCOUNT}:instance/i-0123`]);
  t.match(checks('AssignPrivateIpAddresses', { NetworkInterfaceId: 'eni-0b', SecondaryPrivateIpAddressCount: 9 }).map((c) => c.resource),
    [`arn:aws:ec2:${REGION}:${ACCOUNT}:network-interface/eni-0b`]);
});

t.test('AmazonEKS_CNI_Policy allows every check of the CNI\'s calls; without its CreateTags statement the tagged create is refused', async (t) => {
  const policy = cniPolicy();
  const all = [...create, ...checks('AttachNetworkInterface', { NetworkInterfaceId: 'eni-0b', InstanceId: 'i-0123', DeviceIndex: 1 }),
    ...checks('ModifyNetworkInterfaceAttribute', { NetworkInterfaceId: 'eni-0b' }), ...checks('AssignPrivateIpAddresses', { NetworkInterfaceId: 'eni-0b' }),
    ...checks('DescribeNetworkInterfaces', { NetworkInterfaceId: ['eni-0b'] })];
  t.same(new Set(await decide(policy, all)), new Set(['Allowed']), 'all allowed');
  const withoutTagging = { ...policy, Statement: policy.Statement.filter((s) => !s.Action.includes('ec2:CreateTags')) };
  t.same(await decide(withoutTagging, create), ['Allowed', 'Allowed', 'ImplicitlyDenied'], 'ec2:CreateTags with ec2:CreateAction=CreateNetworkInterface is what is missing');
});
