// diffProps, the generic diff of the EC2 and EKS kinds: only what the spec sets is compared, tags
// per key (others' tags are not drift), other maps per key both ways (a route someone added is),
// lists as sets, and changes to immutable keys listed as replacements.
import t from 'tap';
import { diffProps as typedDiffProps } from '../../../../src/resources/network/ec2-common.js';

// These cases compare loose objects (live state carries keys the desired props lack).
const diffProps = (desired: Record<string, unknown>, actual: Record<string, unknown>, replaceKeys: string[] = []) => typedDiffProps(desired, actual, replaceKeys);

const paths = (r: ReturnType<typeof diffProps>) => r.fields.map((f) => f.path);

t.test('what the spec does not set is never drift', async (t) => {
  t.same(diffProps({ cidr: '10.0.0.0/16' }, { cidr: '10.0.0.0/16', state: 'available', ipv6: true }), { fields: [], replaces: [] });
  t.same(diffProps({}, { anything: 1 }), { fields: [], replaces: [] }, 'an empty desired state has no drift');
});

t.test('a changed scalar reads old → new; a missing one reads old as null', async (t) => {
  t.same(diffProps({ cidr: '10.1.0.0/16', mapPublicIp: false }, { cidr: '10.0.0.0/16' }).fields, [
    { path: 'cidr', old: '10.0.0.0/16', new: '10.1.0.0/16' },
    { path: 'mapPublicIp', old: null, new: false },
  ]);
  t.same(diffProps({ diskSize: 20 }, { diskSize: '20' }).fields, [{ path: 'diskSize', old: '20', new: 20 }], 'types matter for scalars');
});

t.test('tags compare per key, and only the keys the spec sets', async (t) => {
  const r = diffProps({ tags: { Name: 'b', Team: 'x' } }, { tags: { Name: 'a', Team: 'x', 'aws:cloudformation:stack': 's', CostCenter: '7' } });
  t.same(r.fields, [{ path: 'tags.Name', old: 'a', new: 'b' }], "someone else's tags are theirs");
  t.same(diffProps({ tags: { Name: 'a' } }, {}).fields, [{ path: 'tags.Name', old: null, new: 'a' }], 'no live tags at all: each desired one is missing');
});

t.test('other maps compare both ways: an entry the spec does not name is a removal', async (t) => {
  const r = diffProps({ routes: { '0.0.0.0/0': { natGatewayId: 'nat-1' } } },
    { routes: { '0.0.0.0/0': { natGatewayId: 'nat-1' }, '10.9.0.0/16': { gatewayId: 'pcx-1' } } });
  t.same(r.fields, [{ path: 'routes.10.9.0.0/16', old: { gatewayId: 'pcx-1' }, new: null }]);
  t.same(diffProps({ routes: { '0.0.0.0/0': { natGatewayId: 'nat-2' } } }, { routes: { '0.0.0.0/0': { natGatewayId: 'nat-1' } } }).fields,
    [{ path: 'routes.0.0.0.0/0', old: { natGatewayId: 'nat-1' }, new: { natGatewayId: 'nat-2' } }], 'a changed entry by its key');
  t.same(diffProps({ routes: {} }, { routes: { a: 1 } }).fields, [{ path: 'routes.a', old: 1, new: null }], 'an empty map removes every entry');
});

t.test('lists compare as sets: order is not drift, membership is', async (t) => {
  t.same(diffProps({ subnetIds: ['subnet-b', 'subnet-a'] }, { subnetIds: ['subnet-a', 'subnet-b'] }).fields, []);
  t.same(diffProps({ subnetIds: ['subnet-a', 'subnet-c'] }, { subnetIds: ['subnet-a', 'subnet-b'] }).fields,
    [{ path: 'subnetIds', old: ['subnet-a', 'subnet-b'], new: ['subnet-a', 'subnet-c'] }]);
  t.same(diffProps({ subnetIds: [] }, {}).fields, [], 'an empty list and an absent one are the same set');
  t.same(diffProps({ subnetIds: ['subnet-a'] }, {}).fields, [{ path: 'subnetIds', old: null, new: ['subnet-a'] }]);
});

t.test('lists of objects (node group taints) compare by content, whatever the key order', async (t) => {
  const live = { taints: [{ key: 'gpu', value: 'true', effect: 'NO_SCHEDULE' }, { key: 'spot', effect: 'PREFER_NO_SCHEDULE' }] };
  t.same(diffProps({ taints: [{ effect: 'PREFER_NO_SCHEDULE', key: 'spot' }, { key: 'gpu', effect: 'NO_SCHEDULE', value: 'true' }] }, live).fields, [], 'same taints in another order');
  const changed = diffProps({ taints: [{ key: 'gpu', value: 'true', effect: 'NO_EXECUTE' }, { key: 'spot', effect: 'PREFER_NO_SCHEDULE' }] }, live);
  t.same(paths(changed), ['taints'], 'a changed effect is drift although the list has as many elements');
});

t.test('a change to an immutable key is a replacement; a mutable one in the same diff is not', async (t) => {
  const r = diffProps({ cidr: '10.1.0.0/16', tags: { Name: 'b' }, subnetIds: ['s-2'] }, { cidr: '10.0.0.0/16', tags: { Name: 'a' }, subnetIds: ['s-1'] }, ['cidr', 'subnetIds']);
  t.same(paths(r), ['cidr', 'tags.Name', 'subnetIds']);
  t.same(r.replaces, ['cidr', 'subnetIds']);
  t.same(diffProps({ tags: { Name: 'b' } }, { tags: { Name: 'a' } }, ['tags']).replaces, ['tags.Name'], 'an immutable map replaces on any of its entries');
  t.same(diffProps({ cidr: '10.0.0.0/16' }, { cidr: '10.0.0.0/16' }, ['cidr']).replaces, [], 'an unchanged immutable key replaces nothing');
});
