// The load balancer controller's IAM policy is upstream's, statement by statement, for the pinned
// version (test/fixtures/upstream/aws-load-balancer-controller-v3.5.0/iam_policy.json, copied from
// the v3.5.0 tag), and the graph gives the IRSA role exactly that document.
import t from 'tap';
import { readFileSync } from 'node:fs';
import { LBC_POLICY_VERSIONS, loadBalancerControllerPolicy } from '../../../../src/resources/iam/lbc-policy.js';
import type { PolicyDocument, PolicyStatement } from '../../../../src/resources/iam/policy-document.js';
import { buildIam } from '../../../../src/graph/iam.js';
import { LBC_POLICY } from '../../../../src/graph/ids.js';
import { withDefaults } from '../../../../src/platform-spec/defaults.js';
import type { PlatformSpec } from '../../../../src/platform-spec/types.js';

const upstream = (version: string): PolicyDocument =>
  JSON.parse(readFileSync(`test/fixtures/upstream/aws-load-balancer-controller-${version}/iam_policy.json`, 'utf8')) as PolicyDocument;
const statements = (d: PolicyDocument): PolicyStatement[] => (Array.isArray(d.Statement) ? d.Statement : [d.Statement]);

t.test('v3.5.0: every statement, action, resource and condition as upstream, in upstream order', async (t) => {
  const want = upstream('v3.5.0');
  const have = loadBalancerControllerPolicy('v3.5.0');
  t.equal(have.Version, want.Version);
  t.equal(statements(have).length, statements(want).length, 'as many statements');
  statements(want).forEach((s, i) => t.same(statements(have)[i], s, `statement ${i}: ${JSON.stringify(s.Action)}`));
  // The strict comparison also rules out extra keys (a Sid, a widened Resource) on our side.
  t.equal(JSON.stringify(have), JSON.stringify(want), 'the whole document, key for key');
});

t.test('the tag-on-create grants and guards that the old policy lacked are there', async (t) => {
  const s = statements(loadBalancerControllerPolicy('v3.5.0'));
  const createTags = s.find((x) => x.Condition?.StringEquals?.['ec2:CreateAction'] === 'CreateSecurityGroup');
  t.same(createTags?.Action, ['ec2:CreateTags'], 'ec2:CreateTags on a security group being created');
  t.same(createTags?.Condition?.Null, { 'aws:RequestTag/elbv2.k8s.aws/cluster': 'false' }, '... only when it carries the cluster tag');
  const addTags = s.find((x) => x.Condition?.StringEquals?.['elasticloadbalancing:CreateAction'] !== undefined);
  t.same(addTags?.Condition?.StringEquals?.['elasticloadbalancing:CreateAction'], ['CreateTargetGroup', 'CreateLoadBalancer'], 'AddTags on load balancers and target groups being created');
  const retag = s.filter((x) => (x.Action as string[]).includes('elasticloadbalancing:AddTags') && x.Condition?.Null?.['aws:RequestTag/elbv2.k8s.aws/cluster'] === 'true');
  t.same(retag.map((x) => x.Condition?.Null?.['aws:ResourceTag/elbv2.k8s.aws/cluster']), ['false'], 'later re-tagging only of resources that already carry the cluster tag');
});

t.test('a version bump picks its own policy; an unknown version is refused by name', async (t) => {
  t.same(LBC_POLICY_VERSIONS, ['v3.5.0']);
  t.throws(() => loadBalancerControllerPolicy('v9.9.9'), /no IAM policy for AWS Load Balancer Controller v9\.9\.9.*known: v3\.5\.0/);
  const a = loadBalancerControllerPolicy('v3.5.0');
  statements(a)[0]!.Resource = 'changed';
  t.equal(statements(loadBalancerControllerPolicy('v3.5.0'))[0]!.Resource, '*', 'callers get a copy');
});

t.test('the schema accepts exactly the versions platformd has a policy for', async (t) => {
  const schema = JSON.parse(readFileSync('schema/platform.schema.json', 'utf8')) as { $defs: { loadBalancerController: { properties: { version: { enum: string[]; default: string } } } } };
  const version = schema.$defs.loadBalancerController.properties.version;
  t.same(version.enum, LBC_POLICY_VERSIONS);
  t.ok(LBC_POLICY_VERSIONS.includes(version.default), 'the default is one of them');
});

t.test('the graph gives the controller the pinned version\'s upstream document', async (t) => {
  const spec = withDefaults({
    apiVersion: 'platformd.dev/v1alpha1', kind: 'Platform', metadata: { name: 'demo' }, region: 'ap-northeast-1',
    network: { vpc: { cidr: '10.0.0.0/16' }, subnets: { public: [], private: [] } },
    cluster: { name: 'demo-cluster', version: '1.35', nodeGroups: [] },
    services: [{ name: 'greeter', image: 'x', port: 50051, grpcService: 'helloworld.Greeter' }],
  } as PlatformSpec);
  const policy = buildIam(spec).find((d) => d.id === LBC_POLICY);
  t.equal(spec.loadBalancerController?.version, 'v3.5.0');
  t.same((policy?.properties as { document: PolicyDocument }).document, upstream('v3.5.0'));
});
