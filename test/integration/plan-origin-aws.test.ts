// Issue 15: a plan tells "the spec changed" from "someone changed it outside platformd" for AWS
// resources, from the applied-digest tag platformd writes with each create and update. Changes
// behind platformd's back go through the real SDK against the sandbox; spec changes are a changed
// spec planned against the same live state.
import t from 'tap';
import { CreateTagsCommand, DeleteRouteCommand, DeleteTagsCommand, DescribeSubnetsCommand, ModifyVpcAttributeCommand } from '@aws-sdk/client-ec2';
import { startTestSandbox } from '../helpers/sandbox.js';
import { referenceSpec } from '../helpers/specs.js';
import { applyPlatform, planPlatform } from '../../src/engine.js';
import { renderPlanText } from '../../src/plan/render-text.js';
import { planToJson } from '../../src/plan/render-json.js';
import { TAG_APPLIED_DIGEST } from '../../src/resources/applied-digest.js';
import type { ResolvedSpec } from '../../src/platform-spec/resolved.js';

const SUBNET = 'network/subnet/public-a';
const PUBLIC_RT = 'network/route-table/public';

t.test('spec, outside, both and unknown, per AWS kind; the digest tag never shows as a change', async (t) => {
  const sb = await startTestSandbox();
  t.teardown(sb.close);
  const spec = await referenceSpec();
  const opts = (s: ResolvedSpec = spec) => ({ spec: s, aws: sb.clients, layers: ['network' as const] });
  t.ok((await applyPlatform(opts())).ok, 'network converged');

  const converged = await planPlatform(opts());
  t.same(converged.plan.changes, [], 'the next plan is empty: the applied-digest tag is not a change');
  const subnetId = converged.observed.get(SUBNET)!.physicalId;
  const publicRt = converged.observed.get(PUBLIC_RT)!.physicalId;
  const vpcId = converged.observed.get('network/vpc')!.physicalId;
  const tags = (await sb.clients.ec2.send(new DescribeSubnetsCommand({ SubnetIds: [subnetId] }))).Subnets![0]!.Tags ?? [];
  t.match(tags.find((x) => x.Key === TAG_APPLIED_DIGEST)?.Value, /^v1( [0-9a-f]{6})+$/, 'the subnet carries what platformd applied');

  // (a) The spec changed: a renamed cluster tags the subnets anew; one public subnet fewer changes the public route table's associations.
  const changedSpec = await referenceSpec((s) => {
    s.cluster!.name = 'renamed';
    s.network!.subnets.public = s.network!.subnets.public.filter((x) => x.name !== 'public-d');
  });
  const origins = async (s?: ResolvedSpec) => Object.fromEntries((await planPlatform(opts(s))).plan.changes.filter((c) => c.action === '~').map((c) => [c.id, c.origin]));
  const bySpec = await origins(changedSpec);
  t.equal(bySpec[SUBNET], 'spec', 'a tag the spec added: spec');
  t.equal(bySpec[PUBLIC_RT], 'spec', 'an association the spec dropped: spec');

  // (b) Changed behind platformd's back, with the real SDK.
  await sb.clients.ec2.send(new CreateTagsCommand({ Resources: [subnetId], Tags: [{ Key: 'kubernetes.io/role/elb', Value: '0' }] }));
  await sb.clients.ec2.send(new DeleteRouteCommand({ RouteTableId: publicRt, DestinationCidrBlock: '0.0.0.0/0' }));
  await sb.clients.ec2.send(new ModifyVpcAttributeCommand({ VpcId: vpcId, EnableDnsHostnames: { Value: false } }));
  const outside = await planPlatform(opts());
  t.same(Object.fromEntries(outside.plan.changes.map((c) => [c.id, c.origin])), { 'network/vpc': 'outside', [SUBNET]: 'outside', [PUBLIC_RT]: 'outside' });
  const text = renderPlanText(outside.plan);
  t.match(text, /~ network\/route-table\/public .*  # changed outside platformd; will be set back to the spec\n/, 'the text plan says so under the change');
  const json = planToJson(outside.plan) as { changes: { id: string; origin: string; fields: { path: string; origin: string }[] }[] };
  t.same(json.changes.find((c) => c.id === SUBNET)!.fields.map((f) => [f.path, f.origin]), [['tags.kubernetes.io/role/elb', 'outside']], 'and the JSON plan, per field');

  // (c) Both at once: the spec's change and the one made outside, each field named.
  const both = (await planPlatform(opts(changedSpec))).plan.changes;
  const subnet = both.find((c) => c.id === SUBNET)!;
  t.equal(subnet.origin, 'both');
  t.same(subnet.fieldOrigins, { 'tags.kubernetes.io/cluster/renamed': 'spec', 'tags.kubernetes.io/role/elb': 'outside' });
  t.equal(both.find((c) => c.id === PUBLIC_RT)!.origin, 'both', 'the route deleted outside and the association dropped by the spec');

  // Repairing the outside changes leaves the record current: the next plan is empty again.
  t.ok((await applyPlatform({ ...opts(), plan: outside })).ok, 'apply repairs what was changed outside');
  t.same((await planPlatform(opts())).plan.changes, [], 'converged again, no churn from the rewritten digest');

  // No record (an object created before platformd kept one): the origin is unknown, said honestly.
  await sb.clients.ec2.send(new DeleteTagsCommand({ Resources: [subnetId], Tags: [{ Key: TAG_APPLIED_DIGEST }] }));
  await sb.clients.ec2.send(new CreateTagsCommand({ Resources: [subnetId], Tags: [{ Key: 'kubernetes.io/role/elb', Value: '0' }] }));
  const unknown = await planPlatform(opts());
  t.same(unknown.plan.changes.map((c) => [c.id, c.origin]), [[SUBNET, 'unknown']]);
  t.match(renderPlanText(unknown.plan), /# origin unknown: no record of what platformd last applied to it/);
});
