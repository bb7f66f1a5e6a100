// Watches, both sides, over HTTPS with client-node: the sandbox's API server streams events as
// kube-apiserver does (sandbox/kube/watch.ts: initial ADDED without a version, events after a
// version, a label selector's leavers as DELETED, 410 Expired for a version outside its history,
// timeoutSeconds), and the daemon's watched lists (cloud/kube-watch.ts) answer from memory only
// while that is safe: a list, then no call until a write of ours or a failed watch.
import t from 'tap';
import { KubeConfig, KubernetesObjectApi, Watch, type KubernetesObject } from '@kubernetes/client-node';
import { SandboxCa } from '../../src/sandbox/ca.js';
import { KubeApiServer } from '../../src/sandbox/kube/server.js';
import { KubeStore } from '../../src/sandbox/kube/store.js';
import { WatchedLists, type Listed } from '../../src/cloud/kube-watch.js';
import { until } from '../helpers/until.js';

/** Wait until `condition` holds (the deadline only bounds a hang). */
const waitFor = (condition: () => boolean | Promise<boolean>, what: string) => until(what, async () => ((await condition()) ? true : undefined));

const TOKEN = 'sandbox-static-token';

async function cluster(t: { teardown(fn: () => unknown): void }) {
  const ca = await SandboxCa.create();
  const store = new KubeStore();
  const server = new KubeApiServer({ clusterName: 'watch-test', ca, store, secretOf: () => undefined, version: '1.33', staticToken: TOKEN });
  const endpoint = await server.listen();
  t.teardown(() => server.close());
  const kc = new KubeConfig();
  kc.loadFromOptions({ clusters: [{ name: 'c', server: endpoint, caData: Buffer.from(ca.certPem).toString('base64') }], users: [{ name: 'u', token: TOKEN }],
    contexts: [{ name: 'c', cluster: 'c', user: 'u' }], currentContext: 'c' });
  return { store, kc, api: KubernetesObjectApi.makeApiClient(kc) };
}

const configMap = (name: string, labels: Record<string, string> = { team: 'a' }, data: Record<string, string> = {}) =>
  ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'default', labels }, data });

/** Every event of one watch, until it ends. */
function record(kc: KubeConfig, path: string, query: Record<string, string>) {
  const events: { type: string; name?: string; rv?: string; code?: number }[] = [];
  let ended = false;
  const started = new Watch(kc).watch(path, query, (type: string, object: KubernetesObject & { code?: number }) => {
    events.push({ type, name: object.metadata?.name, rv: object.metadata?.resourceVersion, code: object.code });
  }, () => { ended = true; });
  return { events, ended: () => ended, stop: async () => (await started).abort() };
}

t.test('the sandbox streams a watch as kube-apiserver does', async (t) => {
  const { kc, api } = await cluster(t);
  await api.create(configMap('one'));
  await api.create(configMap('two', { team: 'b' }));

  const all = record(kc, '/api/v1/configmaps', {});
  await waitFor(() => all.events.length >= 2, 'the current objects, as ADDED');
  t.same(all.events.map((e) => `${e.type} ${e.name}`), ['ADDED one', 'ADDED two'], 'no version: the current state, then changes');

  const teamA = record(kc, '/api/v1/configmaps', { labelSelector: 'team=a' });
  await waitFor(() => teamA.events.length >= 1, 'the selected object');
  await api.patch(configMap('two', { team: 'a' }), undefined, undefined, 'test', true, 'application/apply-patch+yaml');
  await api.patch(configMap('one', { team: 'c' }), undefined, undefined, 'test', true, 'application/apply-patch+yaml');
  await api.delete(configMap('two'));
  await waitFor(() => teamA.events.length >= 4, 'the selector watch hears the changes');
  t.same(teamA.events.map((e) => `${e.type} ${e.name}`), ['ADDED one', 'ADDED two', 'DELETED one', 'DELETED two'],
    'an object that starts matching is ADDED, one that stops matching is DELETED');
  await waitFor(() => all.events.length >= 5, 'the unfiltered watch hears every write');
  t.same(all.events.slice(2).map((e) => `${e.type} ${e.name}`), ['MODIFIED two', 'MODIFIED one', 'DELETED two']);
  const deletedAt = all.events.at(-1)!.rv!;
  t.not(deletedAt, all.events[2]!.rv, 'a deletion is a write with a version of its own');

  // From a version: only what came after it.
  const listed = await api.list('v1', 'ConfigMap');
  const since = record(kc, '/api/v1/configmaps', { resourceVersion: all.events[2]!.rv! });
  await waitFor(() => since.events.length >= 2, 'the events after the version');
  t.same(since.events.map((e) => `${e.type} ${e.name}`), ['MODIFIED one', 'DELETED two'], 'replayed from the history, nothing before the version');
  t.ok(listed.metadata?.resourceVersion, 'a list carries the version to watch from');
  for (const w of [all, teamA, since]) await w.stop();
});

t.test('a version outside the server\'s history is answered 410 Expired, and timeoutSeconds ends a watch', async (t) => {
  const { kc, api } = await cluster(t);
  const before = (await api.list('v1', 'Secret')).metadata!.resourceVersion!;
  // Written while nobody watched Secrets: the sandbox keeps no history for them.
  await api.create({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 's', namespace: 'default' } });
  const old = record(kc, '/api/v1/secrets', { resourceVersion: before });
  await waitFor(() => old.ended(), 'the expired watch ends');
  t.same(old.events.map((e) => `${e.type} ${e.code}`), ['ERROR 410'], 'one ERROR event with a Status 410, then the end');

  const short = record(kc, '/api/v1/secrets', { timeoutSeconds: '1' });
  await waitFor(() => short.ended(), 'the server ends the watch at its timeout');
  t.same(short.events.map((e) => e.type), ['ADDED']);
});

t.test('watched lists: one list, then no call while the watch sees every change; a write of ours lists again', async (t) => {
  const { kc, api } = await cluster(t);
  await api.create(configMap('mine', { owner: 'platformd' }));
  let lists = 0;
  const listNow = async (): Promise<Listed> => {
    lists++;
    const l = await api.list('v1', 'ConfigMap', undefined, undefined, undefined, undefined, undefined, 'owner=platformd');
    return { items: l.items.map((i) => JSON.parse(JSON.stringify(i)) as KubernetesObject), resourceVersion: l.metadata!.resourceVersion! };
  };
  const watched = new WatchedLists(async () => kc);
  t.teardown(() => watched.close());
  const collection = { apiVersion: 'v1', kind: 'ConfigMap', plural: 'configmaps', labelSelector: 'owner=platformd' };
  const names = async () => (await watched.list(collection, listNow)).map((o) => o.metadata!.name).sort();

  t.same(await names(), ['mine']);
  t.equal(lists, 1);
  t.same(await names(), ['mine'], 'answered from the watched copy');
  t.equal(lists, 1, 'without a list');

  // Someone else's change reaches the copy through the watch, with no list.
  await api.create(configMap('added-outside', { owner: 'platformd' }));
  await waitFor(async () => (await names()).includes('added-outside'), 'the watch delivers a change made outside');
  await api.delete(configMap('mine'));
  await waitFor(async () => !(await names()).includes('mine'), 'and a deletion');
  t.equal(lists, 1, 'still one list');

  // A write of ours: the next read lists (it never depends on the watch being fast).
  watched.written('v1', 'ConfigMap');
  await names();
  t.equal(lists, 2, 'a write of ours makes the next read list');
  t.same(await names(), ['added-outside']);
  t.equal(lists, 2, 'then the copy answers again');

  // A write of ours while a list is on its way: that list may not hold it, so the next read lists.
  watched.written('v1', 'ConfigMap');
  await watched.list(collection, async () => {
    const l = await listNow();
    watched.written('v1', 'ConfigMap');
    return l;
  });
  t.equal(lists, 3);
  await names();
  t.equal(lists, 4, 'a write during the list makes the next read list again');
  await names();
  t.equal(lists, 4);

  watched.close();
  await names();
  await names();
  t.equal(lists, 6, 'once closed, every read lists');
});

t.test('watched lists: a watch that cannot resume (410) or fails lists again on the next read', async (t) => {
  const { kc, api } = await cluster(t);
  let lists = 0;
  const listNow = async (): Promise<Listed> => {
    lists++;
    const l = await api.list('v1', 'ConfigMap');
    // An old version: written before anyone watched ConfigMaps, so the server answers 410 to a watch from it.
    return { items: [], resourceVersion: lists === 1 ? '1' : l.metadata!.resourceVersion! };
  };
  await api.create(configMap('x'));
  const watched = new WatchedLists(async () => kc);
  t.teardown(() => watched.close());
  const collection = { apiVersion: 'v1', kind: 'ConfigMap', plural: 'configmaps' };
  await watched.list(collection, listNow);
  await waitFor(async () => watched.currentCount === 0, 'the 410 makes the copy stale');
  await watched.list(collection, listNow);
  t.equal(lists, 2, 'so the next read lists');
  await watched.list(collection, listNow);
  t.equal(lists, 2, 'and the new watch (from a version in the history) answers the one after');

  const refused = new WatchedLists(async () => {
    const bad = new KubeConfig();
    bad.loadFromString(kc.exportConfig().replace(TOKEN, 'wrong-token'));
    return bad;
  });
  t.teardown(() => refused.close());
  await refused.list(collection, listNow);
  await refused.list(collection, listNow);
  t.equal(lists, 4, 'a watch the server refuses (401) never answers from memory');
});
