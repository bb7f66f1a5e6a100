// The applied-digest tag: one short hash per property of what platformd last applied, so a plan
// tells the spec's changes from changes made outside platformd, field by field.
import t from 'tap';
import { appliedDigest, withOrigins } from '../../../src/resources/applied-digest.js';
import { diffProps } from '../../../src/resources/network/ec2-common.js';

const applied = { cidr: '10.0.0.0/16', enableDnsHostnames: true, tags: { Name: 'demo' } };
const live = { cidr: '10.0.0.0/16', enableDnsHostnames: true, tags: { Name: 'demo' } };
const origins = (desired: typeof applied, actual: typeof live, recorded = appliedDigest(applied)) => withOrigins(diffProps(desired, actual), desired, recorded).origins;

const cases = [
  { reason: 'the spec changed a property: spec', desired: { ...applied, enableDnsHostnames: false }, live, want: { enableDnsHostnames: 'spec' } },
  { reason: 'the live object moved, the spec did not: outside', desired: applied, live: { ...live, tags: { Name: 'hand-edited' } }, want: { 'tags.Name': 'outside' } },
  { reason: 'one field each way: both sides named per field', desired: { ...applied, enableDnsHostnames: false }, live: { ...live, tags: { Name: 'x' } },
    want: { enableDnsHostnames: 'spec', 'tags.Name': 'outside' } },
];
for (const c of cases) t.test(c.reason, async (t) => t.same(origins(c.desired, c.live), c.want));

t.test('no record (created before platformd kept one) or an unreadable one: no origins, which the plan calls unknown', async (t) => {
  const desired = { ...applied, enableDnsHostnames: false };
  t.equal(withOrigins(diffProps(desired, live), desired, undefined).origins, undefined);
  t.equal(origins({ ...applied, enableDnsHostnames: false }, live, 'v0 abc'), undefined);
});

t.test('the record fits in a tag value and does not depend on key order', async (t) => {
  const value = appliedDigest(applied)!;
  t.ok(value.length <= 256);
  t.equal(appliedDigest({ tags: { Name: 'demo' }, enableDnsHostnames: true, cidr: '10.0.0.0/16' }), value);
  t.equal(appliedDigest(Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`p${i}`, i]))), undefined, 'too many properties for 256 characters: no record');
});

t.test('map entries are judged one by one: a tag the spec added and another changed outside, in one plan', async (t) => {
  const desired = { ...applied, tags: { Name: 'demo', Team: 'a' } };
  t.same(origins(desired, { ...live, tags: { Name: 'hand-edited' } }), { 'tags.Name': 'outside', 'tags.Team': 'spec' });
});

t.test('a map entry the spec never had, added outside, is outside; one the spec dropped is spec', async (t) => {
  const withRoutes: { cidr: string; routes: Record<string, string> } = { cidr: '10.0.0.0/16', routes: { '0.0.0.0/0': 'igw-1' } };
  const recorded = appliedDigest(withRoutes);
  const diff = (d: typeof withRoutes, l: object) => withOrigins(diffProps(d, l), d, recorded).origins;
  t.same(diff(withRoutes, { cidr: '10.0.0.0/16', routes: { '0.0.0.0/0': 'igw-1', '10.9.0.0/16': 'pcx-1' } }), { 'routes.10.9.0.0/16': 'outside' });
  t.same(diff({ ...withRoutes, routes: {} }, { cidr: '10.0.0.0/16', routes: { '0.0.0.0/0': 'igw-1' } }), { 'routes.0.0.0.0/0': 'spec' });
});
