// Issue 15: the internet gateway, Elastic IP and NAT gateway record what platformd applied (the
// applied-digest tag) like the VPC, subnets and route tables, so their changes say which side moved.
// Changes behind platformd's back go through the real SDK against the sandbox. The reference spec
// derives these objects' only changeable property (the Name tag) from the platform's name, which
// cannot change without changing ownership, so a spec change is the kind's own diff (what the plan
// calls) given other desired properties than those applied.
import t from 'tap';
import { CreateTagsCommand, DescribeTagsCommand } from '@aws-sdk/client-ec2';
import { startTestSandbox } from '../helpers/sandbox.js';
import { referenceSpec } from '../helpers/specs.js';
import { applyPlatform, planPlatform } from '../../src/engine.js';
import { TAG_APPLIED_DIGEST } from '../../src/resources/applied-digest.js';
import { internetGatewayKind } from '../../src/resources/network/internet-gateway.js';
import { elasticIpKind } from '../../src/resources/network/elastic-ip.js';
import { natGatewayKind } from '../../src/resources/network/nat-gateway.js';
import { changeOrigin } from '../../src/plan/origin.js';
import type { AnyKind, ErasedState, Observed } from '../../src/resources/kind.js';

const KINDS: [id: string, kind: AnyKind][] = [
  ['network/internet-gateway', internetGatewayKind as unknown as AnyKind],
  ['network/eip/nat', elasticIpKind as unknown as AnyKind],
  ['network/nat-gateway/nat', natGatewayKind as unknown as AnyKind],
];

/** The properties platformd applied (a converged object's state) with other tags, as a changed spec would give. */
function withTags(observed: Observed, tags: Record<string, string>): ErasedState {
  return { ...observed.state, tags: { ...(observed.state.tags as Record<string, string>), ...tags } };
}

t.test('internet gateway, Elastic IP, NAT gateway: spec, outside and both; the digest tag is never a change', async (t) => {
  const sb = await startTestSandbox();
  t.teardown(sb.close);
  const spec = await referenceSpec();
  const opts = { spec, aws: sb.clients, layers: ['network' as const] };
  t.ok((await applyPlatform(opts)).ok, 'network converged');

  const converged = await planPlatform(opts);
  t.same(converged.plan.changes, [], 'the next plan is empty: the applied-digest tag is not a change');
  const physical = KINDS.map(([id]) => converged.observed.get(id)!.physicalId);
  const digests = await sb.clients.ec2.send(new DescribeTagsCommand({ Filters: [{ Name: 'resource-id', Values: physical }, { Name: 'key', Values: [TAG_APPLIED_DIGEST] }] }));
  t.same(digests.Tags!.map((x) => x.ResourceId).sort(), [...physical].sort(), 'each carries what platformd applied');
  for (const tag of digests.Tags!) t.match(tag.Value, /^v1( [0-9a-f]{6})+$/);

  for (const [id, kind] of KINDS) {
    const observed = converged.observed.get(id)!;
    const bySpec = kind.diff(withTags(observed, { Name: 'renamed' }), observed);
    t.same(bySpec.fields.map((f) => f.path), ['tags.Name'], `${id}: the spec's new Name is the change`);
    t.same(bySpec.origins, { 'tags.Name': 'spec' }, `${id}: a Name the spec changed: spec`);
  }

  // Changed behind platformd's back, with the real SDK.
  await sb.clients.ec2.send(new CreateTagsCommand({ Resources: physical, Tags: [{ Key: 'Name', Value: 'edited-in-console' }] }));
  const outside = await planPlatform(opts);
  t.same(Object.fromEntries(outside.plan.changes.map((c) => [c.id, c.origin])), Object.fromEntries(KINDS.map(([id]) => [id, 'outside'])),
    'a Name edited outside: outside, for each kind');

  for (const [id, kind] of KINDS) {
    const observed = outside.observed.get(id)!;
    const applied = converged.observed.get(id)!;
    const both = kind.diff(withTags(applied, { team: 'payments' }), observed);
    t.same(both.origins, { 'tags.Name': 'outside', 'tags.team': 'spec' }, `${id}: a tag the spec added and the Name edited outside, per field`);
    t.equal(changeOrigin(both.fields, both.origins), 'both', `${id}: both`);
  }

  t.ok((await applyPlatform({ ...opts, plan: outside })).ok, 'apply sets the Names back');
  t.same((await planPlatform(opts)).plan.changes, [], 'converged again, no churn from the rewritten digest');
});
