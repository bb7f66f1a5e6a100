// Least privilege proven by running: platformd's own identity under exactly the shipped policy
// (ops/iam/platformd-policy.json) converges the reference platform from empty, changes it and tears
// it down with not one call refused; the same policy less one statement is refused at the first call that needs
// it, and the engine's error names the action.
import t from 'tap';
import { readFileSync } from 'node:fs';
import { CreateVpcCommand, DescribeVpcsCommand } from '@aws-sdk/client-ec2';
import { ListRolesCommand } from '@aws-sdk/client-iam';
import { ListClustersCommand } from '@aws-sdk/client-eks';
import { startTestSandbox } from '../helpers/sandbox.js';
import { referenceSpec } from '../helpers/specs.js';
import { applyPlatform } from '../../src/engine.js';
import { clusterAccessFor } from '../../src/cloud/cluster-access.js';
import type { CallRecord } from '../../src/sandbox/aws/call-log.js';
import type { PlatformSpec } from '../../src/platform-spec/types.js';
import { withDefaults } from '../../src/platform-spec/defaults.js';

interface PolicyDocument { Version: string; Statement: { Sid?: string }[] }

const shipped = (): PolicyDocument => JSON.parse(readFileSync('ops/iam/platformd-policy.json', 'utf8')) as PolicyDocument;
const DENIALS = new Set(['UnauthorizedOperation', 'AccessDenied', 'AccessDeniedException']);
/** The error a call that must be refused ends with. */
async function refusal(call: Promise<unknown>): Promise<Error> {
  try {
    await call;
  } catch (err) {
    if (err instanceof Error) return err;
  }
  throw new Error('the call was not refused');
}
const denials = (calls: readonly CallRecord[]) => calls.filter((c) => c.errorCode !== undefined && DENIALS.has(c.errorCode)).map((c) => `${c.service}:${c.operation} ${c.errorCode}`);

t.test('the reference platform converges, changes and is torn down under exactly the shipped policy', async (t) => {
  const sb = await startTestSandbox({ principalPolicy: shipped() });
  t.teardown(sb.close);
  const spec = await referenceSpec();
  const opts = { spec, aws: sb.clients, kube: clusterAccessFor(spec, sb.clients) };

  const converged = await applyPlatform(opts);
  t.same(converged.failed, [], 'nothing failed while converging from empty');
  t.ok(converged.ok, 'converged');

  // A change in every layer that has one to make: scale the node group, drop a service.
  spec.cluster!.nodeGroups[0]!.scaling.desired = 4;
  spec.services = spec.services!.slice(0, 2);
  const changed = await applyPlatform(opts);
  t.same(changed.failed, [], 'nothing failed while changing');
  t.ok(changed.applied.includes('kube/Deployment/default/kv-store'), 'the dropped service was pruned');

  // Teardown: only metadata, region and every deletion opt-in.
  const teardown = withDefaults({ apiVersion: spec.apiVersion, kind: spec.kind, metadata: spec.metadata, region: spec.region,
    deletion: { allow: ['network', 'cluster', 'nodeGroups', 'hostedZone', 'certificate', 'iam'] } } as PlatformSpec);
  // The deadline only bounds a hang.
  const tornDown = await applyPlatform({ ...opts, spec: teardown, signal: AbortSignal.timeout(150_000) });
  t.same(tornDown.failed, [], 'nothing failed while tearing down');
  t.ok(tornDown.ok, 'torn down');
  t.same((await sb.clients.ec2.send(new DescribeVpcsCommand({}))).Vpcs, [], 'no VPC left');
  t.same((await sb.clients.eks.send(new ListClustersCommand({}))).clusters, [], 'no cluster left');
  t.same((await sb.clients.iam.send(new ListRolesCommand({ PathPrefix: '/platformd/' }))).Roles, [], 'no role left');
  t.comment(`${sb.aws.callLog.all().length} calls authorised under the shipped policy`);
  t.same(denials(sb.aws.callLog.all()), [], 'not one call refused');
  t.ok(sb.aws.callLog.all().some((c) => c.operation === 'CreateVpc' && c.status === 200), 'and the calls were really made under enforcement');
});

t.test('the shipped policy less one statement: refused, and the error names the action', async (t) => {
  const policy = shipped();
  policy.Statement = policy.Statement.filter((s) => s.Sid !== 'TagOnCreate');
  const sb = await startTestSandbox({ principalPolicy: policy });
  t.teardown(sb.close);
  const spec = await referenceSpec();
  const result = await applyPlatform({ spec, aws: sb.clients, kube: clusterAccessFor(spec, sb.clients), layers: ['network'], signal: AbortSignal.timeout(60_000) });
  t.notOk(result.ok, 'the apply fails');
  const vpc = result.failed.find((f) => f.id === 'network/vpc');
  t.ok(vpc, 'the VPC create failed');
  t.match(vpc?.error ?? '', /not authorized to perform: ec2:CreateTags on resource: arn:aws:ec2:ap-northeast-1:123456789012:vpc\/\*/, 'naming the tag-on-create action and resource');
  // Creates that need no VPC (AllocateAddress) may run before the VPC's failure stops the walk:
  // they are refused the same way. Which ones got that far is a race; the refusals are not.
  const refused = denials(sb.aws.callLog.all());
  t.ok(refused.includes('ec2:CreateVpc UnauthorizedOperation'), 'EC2 refused CreateVpc with UnauthorizedOperation');
  t.same(refused.filter((d) => !/^ec2:(Create|Allocate)\w+ UnauthorizedOperation$/.test(d)), [], `every refusal is an EC2 create refused for its tags: ${refused.join(', ')}`);
  t.same(sb.aws.callLog.all().filter((c) => c.operation === 'CreateVpc' && c.status === 200), [], 'no VPC was created');
});

t.test('EC2 refusal carries an encoded message; other services answer their own AccessDenied shape', async (t) => {
  const sb = await startTestSandbox({ principalPolicy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'ec2:Describe*', Resource: '*' }] } });
  t.teardown(sb.close);
  t.ok((await sb.clients.ec2.send(new DescribeVpcsCommand({}))).Vpcs, 'an allowed action runs');
  const ec2 = await refusal(sb.clients.ec2.send(new CreateVpcCommand({ CidrBlock: '10.0.0.0/16' })));
  t.equal(ec2.name, 'UnauthorizedOperation');
  const encoded = /Encoded authorization failure message: (\S+)$/.exec(ec2.message)?.[1] ?? '';
  const decoded = JSON.parse(Buffer.from(encoded, 'base64url').toString('utf8')) as { allowed: boolean; context: { action: string } };
  t.same([decoded.allowed, decoded.context.action], [false, 'ec2:CreateVpc'], 'the encoded message decodes to the refused action');
  const iam = await refusal(sb.clients.iam.send(new ListRolesCommand({})));
  t.equal(iam.name, 'AccessDenied');
  t.match(iam.message, /^User: arn:aws:iam::123456789012:user\/sandbox-admin is not authorized to perform: iam:ListRoles on resource: \* because no identity-based policy allows the iam:ListRoles action$/);
  const eks = await refusal(sb.clients.eks.send(new ListClustersCommand({})));
  t.equal(eks.name, 'AccessDeniedException');
});
