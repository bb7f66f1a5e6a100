// destroy's pure parts: the teardown spec keeps only metadata, region and deletion (every
// category under allowAll, the schema's full list), blocked categories named, and changes
// sorted into the order their deletions run.
import t from 'tap';
import { readFileSync } from 'node:fs';
import { blockedCategories, DELETION_CATEGORIES, inDeletionOrder, teardownSpec } from '../../../src/plan/teardown.js';
import type { Change } from '../../../src/plan/types.js';
import type { PlatformSpec } from '../../../src/platform-spec/types.js';

const spec = { apiVersion: 'platformd.dev/v1alpha1', kind: 'Platform', metadata: { name: 'demo' }, region: 'eu-west-1',
  network: { cidr: '10.0.0.0/16' }, cluster: { name: 'demo' }, deletion: { allow: ['iam'] } } as unknown as PlatformSpec;

t.test('the deletion categories are the schema\'s', async (t) => {
  const schema = JSON.parse(readFileSync('schema/platform.schema.json', 'utf8')) as { $defs: { deletion: { properties: { allow: { items: { enum: string[] } } } } } };
  t.same([...DELETION_CATEGORIES].sort(), [...schema.$defs.deletion.properties.allow.items.enum].sort());
});

t.test('teardown spec', async (t) => {
  t.same(teardownSpec(spec), { apiVersion: spec.apiVersion, kind: spec.kind, metadata: spec.metadata, region: spec.region, deletion: { allow: ['iam'] } },
    'only metadata, region and the spec\'s own deletion.allow: every section that desires something is gone');
  t.same(teardownSpec(spec, { allowAll: true }).deletion, { allow: [...DELETION_CATEGORIES] }, '--allow-all opts every category in');
  t.same(blockedCategories(teardownSpec(spec)), DELETION_CATEGORIES.filter((c) => c !== 'iam'), 'what is not allowed is named as blocked');
  t.same(blockedCategories(teardownSpec(spec, { allowAll: true })), [], 'nothing blocked under --allow-all');
});

t.test('changes in deletion order, stable within a kind, unknown kinds last', async (t) => {
  const change = (id: string, kind: string): Change => ({ id, kind, action: '-', reason: 'not-in-spec', fields: [], dependsOn: [] });
  const changes = [change('vpc', 'Vpc'), change('sub-a', 'Subnet'), change('other', 'Other'), change('ing', 'Ingress'), change('sub-b', 'Subnet')];
  t.same(inDeletionOrder(changes, ['Ingress', 'Subnet', 'Vpc']).map((c) => c.id), ['ing', 'sub-a', 'sub-b', 'vpc', 'other']);
});
