// What IAM asks for EKS TagResource (checks-services.ts), judged against the shipped policy: the
// action acts on the object the ARN names, with that object's tags as aws:ResourceTag and the tags
// sent as aws:RequestTag (EKS's Service Authorization Reference lists cluster, nodegroup and addon
// among TagResource's resource types, with those condition keys). platformd records what it applied
// on its own objects only (RecordOnOurEksObjects).
import t from 'tap';
import { readFileSync } from 'node:fs';
import { checksFor, type ResourceDirectory } from '../../../../src/sandbox/aws/iam-auth/checks.js';
import { evaluateCheck } from '../../../../src/sandbox/aws/iam-auth/enforcer.js';

const ACCOUNT = '123456789012';
const REGION = 'ap-northeast-1';
const PRINCIPAL = `arn:aws:iam::${ACCOUNT}:user/platformd`;
const OURS = `arn:aws:eks:${REGION}:${ACCOUNT}:nodegroup/grpc-demo/default/0a1b`;
const THEIRS = `arn:aws:eks:${REGION}:${ACCOUNT}:cluster/someone-else`;
const tags: Record<string, Record<string, string>> = { [OURS]: { 'platformd.dev/platform': 'grpc-demo' }, [THEIRS]: { owner: 'someone-else' } };
const directory: ResourceDirectory = { ec2Tags: () => ({}), ec2RouteTableOfAssociation: () => undefined, iamRole: () => undefined, eksObject: () => undefined, tagsOfArn: (arn) => tags[arn] };
const tagResource = (resourceArn: string) => checksFor({ service: 'eks', operation: 'TagResource', input: { resourceArn, tags: { 'platformd.dev/applied-digest': 'v1 0a1b2c' } }, region: REGION, accountId: ACCOUNT, directory });
const shipped = () => JSON.parse(readFileSync('ops/iam/platformd-policy.json', 'utf8')) as { Version: string; Statement: { Sid?: string }[] };
const decide = (doc: unknown, resourceArn: string) => Promise.all(tagResource(resourceArn).map((check) => evaluateCheck(PRINCIPAL, [{ name: 'platformd', document: doc }], check, ACCOUNT)));

t.test('TagResource is checked on the object its ARN names, with its tags and the tags sent', async (t) => {
  t.match(tagResource(OURS), [{ action: 'eks:TagResource', resource: OURS,
    context: { 'aws:ResourceTag/platformd.dev/platform': 'grpc-demo', 'aws:RequestTag/platformd.dev/applied-digest': 'v1 0a1b2c' } }]);
});

t.test('the shipped policy allows recording on platformd\'s objects only; without RecordOnOurEksObjects, not at all', async (t) => {
  t.same(await decide(shipped(), OURS), ['Allowed'], 'a node group tagged as ours');
  t.same(await decide(shipped(), THEIRS), ['ImplicitlyDenied'], 'someone else\'s cluster');
  const policy = shipped();
  policy.Statement = policy.Statement.filter((s) => s.Sid !== 'RecordOnOurEksObjects');
  t.same(await decide(policy, OURS), ['ImplicitlyDenied']);
});
