// An update (PUT/PATCH, what `kubectl edit` or `kubectl scale` sends) moves ownership as
// structured-merge-diff's Updater.Update does: the fields it changed go to its Update entry and
// leave every other entry, the fields it removed leave every entry, what it left alone stays put.
// Before, the sandbox kept the appliers' managedFields untouched by updates, so a field changed
// behind platformd's back still read as platformd's.
import t from 'tap';
import { recordUpdate, serverSideApply, type ManagedFields } from '../../../../src/sandbox/kube/ssa.js';
import type { ListType } from '../../../../src/sandbox/kube/list-types.js';

const listTypeAt = (path: string): ListType => (path === 'spec.template.spec.containers' ? { keys: ['name'] } : 'atomic');
const config = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd', labels: { app: 'd', tier: 'web' } },
  spec: { replicas: 2, template: { spec: { containers: [{ name: 'app', image: 'a:1' }] } } } };

function applied(): { object: Record<string, any>; managed: ManagedFields[] } {
  const r = serverSideApply(undefined, [], config, 'platformd', true, listTypeAt);
  if ('conflicts' in r) throw new Error('conflicts');
  return r;
}
const owner = (managed: ManagedFields[], path: string[]) => managed.filter((m) => m.paths.has(JSON.stringify(path))).map((m) => `${m.manager}/${m.operation}`);
const REPLICAS = ['f:spec', 'f:replicas'];
const IMAGE = ['f:spec', 'f:template', 'f:spec', 'f:containers', 'k:{"name":"app"}', 'f:image'];
const TIER = ['f:metadata', 'f:labels', 'f:tier'];

t.test('a modified field moves to the updater; the fields it left alone stay with the applier', async (t) => {
  const { object, managed } = applied();
  const after = recordUpdate(object, { ...object, spec: { ...object.spec, replicas: 5 } }, managed, 'kubectl-edit', listTypeAt);
  t.same(owner(after, REPLICAS), ['kubectl-edit/Update']);
  t.same(owner(after, IMAGE), ['platformd/Apply']);
});

t.test('a removed field leaves every entry', async (t) => {
  const { object, managed } = applied();
  const after = recordUpdate(object, { ...object, metadata: { ...object.metadata, labels: { app: 'd' } } }, managed, 'kubectl-edit', listTypeAt);
  t.same(owner(after, TIER), []);
  t.notOk(after.some((m) => m.manager === 'kubectl-edit'), 'an update that only removes owns nothing');
});

t.test('an update that changes nothing leaves the managed fields as they were', async (t) => {
  const { object, managed } = applied();
  t.equal(recordUpdate(object, structuredClone(object), managed, 'kubectl-edit', listTypeAt), managed);
});

t.test('after an update took a field, an apply without force conflicts with the updater; with force it takes it back', async (t) => {
  const { object, managed } = applied();
  const edited = { ...object, spec: { ...object.spec, replicas: 5 } };
  const after = recordUpdate(object, edited, managed, 'kubectl-edit', listTypeAt);
  const refused = serverSideApply(edited, after, config, 'platformd', false, listTypeAt);
  t.match(refused, { conflicts: [{ manager: 'kubectl-edit', field: '.spec.replicas' }] });
  const forced = serverSideApply(edited, after, config, 'platformd', true, listTypeAt);
  if ('conflicts' in forced) return t.fail('forced apply conflicted');
  t.same(owner(forced.managed, REPLICAS), ['platformd/Apply']);
  t.equal(forced.object.spec.replicas, 2);
});
