// Logical ids: every node the graph builders produce for the reference platform and the examples
// carries an id that one of graph/ids.ts's constants or functions makes, and no id is produced twice.
import t from 'tap';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import * as ids from '../../../src/graph/ids.js';
import { layerBuilders } from '../../../src/graph/layers.js';
import { loadSpecFile } from '../../../src/platform-spec/load.js';
import { withDefaults } from '../../../src/platform-spec/defaults.js';
import { LBC_NAME, LBC_NS } from '../../../src/resources/kube/lbc-manifests.js';

const constants = new Set(Object.values(ids).filter((v): v is string => typeof v === 'string'));
const makers = Object.entries(ids).filter((e): e is [string, (...args: (string | undefined)[]) => string] => typeof e[1] === 'function');

/** The ids.ts export that makes `id` again from its own parts, if any. */
function madeBy(id: string): string | undefined {
  if (constants.has(id)) return 'a constant';
  const segments = id.split('/');
  for (const [name, make] of makers) {
    const tries: (string | undefined)[][] = [];
    if (make.length === 1) {
      // One argument: whatever follows the prefix the function gives an empty argument.
      const prefix = make('');
      if (id.startsWith(prefix)) tries.push([id.slice(prefix.length)]);
    } else {
      tries.push(segments.slice(-make.length));
      // kubeId of a cluster-scoped object: no namespace.
      if (make.length === 3) tries.push([segments.at(-2), undefined, segments.at(-1)]);
    }
    if (tries.some((args) => make(...args) === id)) return name;
  }
  return undefined;
}

const specFiles = ['specs/platform.yaml', ...readdirSync('specs/examples').filter((f) => f.endsWith('.yaml')).map((f) => join('specs/examples', f))];

for (const file of specFiles) {
  t.test(`${file}: every node id comes from graph/ids.ts, once`, async (t) => {
    const loaded = await loadSpecFile(file);
    if (!loaded.ok) throw new Error(`${file} does not validate`);
    const spec = withDefaults(loaded.spec);
    const produced = layerBuilders.flatMap((b) => b.build(spec, { protosDir: loaded.protosDir }).map((n) => n.id));
    t.ok(produced.length > 10, `${produced.length} nodes`);
    t.same(produced.filter((id) => !madeBy(id)), [], 'no id outside ids.ts');
    t.same(produced.filter((id, i) => produced.indexOf(id) !== i), [], 'no id twice');
  });
}

t.test('the recogniser is not vacuous', async (t) => {
  for (const id of ['network/vpc-2', 'eks/clusters', 'edge/zone', 'kube', 'network/subnet']) t.notOk(madeBy(id), `${id} is not an ids.ts id`);
  t.equal(madeBy('eks/nodegroup/general'), 'nodegroupId');
  t.equal(madeBy('kube/Namespace/shop'), 'kubeId');
});

t.test('the controller Deployment id names the Deployment the manifests create', async (t) => {
  t.equal(ids.LBC_DEPLOYMENT_ID, ids.kubeId('Deployment', LBC_NS, LBC_NAME));
});
