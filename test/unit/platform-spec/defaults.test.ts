// A ResolvedSpec has every default the schema declares, in its values and in its type, so a
// default added to the schema cannot be forgotten by the code; a value in the spec wins; the
// input is never modified. The schema is walked here independently of src/platform-spec/defaults.ts.
import t from 'tap';
import { readFileSync } from 'node:fs';
import ts from 'typescript';
import { reconcileDefaults, withDefaults } from '../../../src/platform-spec/defaults.js';
import { loadSpecText } from '../../../src/platform-spec/load.js';
import type { PlatformSpec } from '../../../src/platform-spec/types.js';

interface Node { $ref?: string; properties?: Record<string, Node>; items?: Node; oneOf?: Node[]; default?: unknown; $defs?: Record<string, Node> }
interface Site { path: string[]; value: unknown }

const schema = JSON.parse(readFileSync('schema/platform.schema.json', 'utf8')) as Node;
const deref = (n: Node): Node => (n.$ref ? schema.$defs![n.$ref.replace('#/$defs/', '')]! : n);

/** Every place the schema declares a default, as a path ('*' for any array item) and its value. */
function defaultSites(node: Node, path: string[] = []): Site[] {
  const s = deref(node);
  const out: Site[] = [];
  for (const [key, property] of Object.entries(s.properties ?? {})) {
    const own = 'default' in property ? property : deref(property);
    if ('default' in own) out.push({ path: [...path, key], value: own.default });
    out.push(...defaultSites(property, [...path, key]));
  }
  if (s.items) out.push(...defaultSites(s.items, [...path, '*']));
  for (const branch of s.oneOf ?? []) out.push(...defaultSites(branch, path));
  return out;
}

function valuesAt(value: unknown, path: string[]): unknown[] {
  if (path.length === 0) return [value];
  const [head, ...rest] = path as [string, ...string[]];
  if (head === '*') return Array.isArray(value) ? value.flatMap((v) => valuesAt(v, rest)) : [];
  if (typeof value !== 'object' || value === null || Array.isArray(value) || !(head in value)) return [];
  return valuesAt((value as Record<string, unknown>)[head], rest);
}

/** Every section and branch that has defaults inside, and no defaulted setting written. */
const bare = (): PlatformSpec => ({
  apiVersion: 'platformd.dev/v1alpha1', kind: 'Platform', metadata: { name: 'demo' }, region: 'ap-northeast-1',
  network: { vpc: { cidr: '10.0.0.0/16' }, subnets: {
    public: [{ name: 'public-a', zone: 'ap-northeast-1a', cidr: '10.0.0.0/24' }],
    private: [{ name: 'private-a', zone: 'ap-northeast-1a', cidr: '10.0.1.0/24' }] } },
  cluster: { name: 'demo', version: '1.35', nodeGroups: [{ name: 'general', instanceTypes: ['m6i.large'], scaling: { min: 1, desired: 2, max: 3 } }] },
  services: [
    { name: 'route-guide', image: 'route-guide:1', port: 50051, grpcService: 'routeguide.RouteGuide', serviceAccount: { name: 'route-guide' }, probe: { method: 'GetFeature' } },
    { name: 'greeter', image: { repository: 'greeter', tag: '1.0.0' }, port: 50051, grpcService: 'helloworld.Greeter' },
  ],
  domain: { name: 'grpc.example.com', hostedZone: { name: 'example.com' } },
});

const sites = defaultSites(schema);

t.test('the schema walk finds the defaults (a sanity check of the test itself)', async (t) => {
  t.ok(sites.length >= 30, `${sites.length} defaults`);
  t.ok(sites.some((s) => s.path.join('/') === 'services/*/probe/interval' && s.value === '30s'));
  t.ok(sites.some((s) => s.path.join('/') === 'domain/hostedZone/adopt'), 'inside a oneOf branch');
});

t.test('a resolved spec has every schema default, in every place it applies', async (t) => {
  const resolved = withDefaults(bare());
  for (const site of sites) {
    const values = valuesAt(resolved, site.path);
    t.ok(values.length > 0, `${site.path.join('/')} is present (extend bare() if a new section holds it)`);
    // An empty container default ({} or []) is filled further by the defaults inside it (their own sites).
    const container = typeof site.value === 'object' && site.value !== null && Object.keys(site.value).length === 0;
    for (const v of values) {
      if (container) t.equal(Array.isArray(v), Array.isArray(site.value), `${site.path.join('/')} is ${Array.isArray(site.value) ? 'a list' : 'a mapping'}`);
      else t.same(v, site.value, `${site.path.join('/')} = ${JSON.stringify(site.value)}`);
    }
  }
});

t.test('the ResolvedSpec type makes every defaulted setting required', async (t) => {
  const program = ts.createProgram(['src/platform-spec/resolved.ts'], {
    strict: true, noEmit: true, target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext, types: [],
  });
  const checker = program.getTypeChecker();
  const file = program.getSourceFile('src/platform-spec/resolved.ts')!;
  let root: ts.Type | undefined;
  file.forEachChild((n) => { if (ts.isInterfaceDeclaration(n) && n.name.text === 'ResolvedSpec') root = checker.getTypeAtLocation(n); });
  t.ok(root, 'ResolvedSpec is declared');
  /** The property's declarations along the path, across union members that can hold it. */
  const propertiesAt = (path: string[]): ts.Symbol[] => {
    let types: ts.Type[] = [root!];
    let found: ts.Symbol[] = [];
    for (const segment of path) {
      const members = types.flatMap((x) => (x.isUnion() ? x.types : [x]));
      if (segment === '*') {
        types = members.map((m) => checker.getIndexTypeOfType(m, ts.IndexKind.Number)).filter((x): x is ts.Type => x !== undefined);
        continue;
      }
      found = members.map((m) => m.getProperty(segment)).filter((p): p is ts.Symbol => p !== undefined)
        .filter((p) => !(checker.getNonNullableType(checker.getTypeOfSymbol(p)).flags & ts.TypeFlags.Never)); // `id?: never` branches
      types = found.map((p) => checker.getNonNullableType(checker.getTypeOfSymbol(p)));
    }
    return found;
  };
  for (const site of sites) {
    const props = propertiesAt(site.path);
    t.ok(props.length > 0 && props.every((p) => !(p.flags & ts.SymbolFlags.Optional)), `${site.path.join('/')} is required in ResolvedSpec`);
  }
});

t.test('a value in the spec wins over its default', async (t) => {
  const spec = bare();
  spec.network!.natGateways = 'perZone';
  spec.cluster!.endpointAccess = { public: false };
  spec.cluster!.addons = { coredns: { version: 'v1.11.4-eksbuild.2' } };
  spec.cluster!.nodeGroups[0]!.diskSize = 50;
  spec.services![0]!.replicas = 0;
  spec.services![0]!.probe = { method: 'GetFeature', interval: '10s', expectedStatus: 'NOT_FOUND' };
  spec.services![1]!.image = { repository: 'greeter', tag: '1.0.0', keepImages: 3 };
  spec.loadBalancerController = { install: false };
  spec.domain!.hostedZone = { name: 'example.com', adopt: true };
  spec.reconcile = { mode: 'detect' };
  const r = withDefaults(spec);
  t.equal(r.network!.natGateways, 'perZone');
  t.same(r.cluster!.endpointAccess, { public: false, private: true, publicCidrs: ['0.0.0.0/0'] }, 'a partly written section gets the rest');
  t.same(r.cluster!.addons, { 'vpc-cni': {}, coredns: { version: 'v1.11.4-eksbuild.2' }, 'kube-proxy': {}, 'eks-pod-identity-agent': {} });
  t.equal(r.cluster!.nodeGroups[0]!.diskSize, 50);
  t.equal(r.services[0]!.replicas, 0, 'a falsy value is a value');
  t.same(r.services[0]!.probe, { method: 'GetFeature', interval: '10s', expectedStatus: 'NOT_FOUND', request: {}, timeout: '5s', redialEvery: 10 });
  t.same(r.services[1]!.image, { repository: 'greeter', tag: '1.0.0', keepImages: 3 });
  t.same(r.loadBalancerController, { install: false, version: 'v3.5.0', replicas: 2 });
  t.same(r.domain!.hostedZone, { name: 'example.com', adopt: true });
  t.same(r.reconcile, { mode: 'detect', pollInterval: '1m', resyncInterval: '10m' });
});

t.test('the input is never modified, and resolving twice changes nothing', async (t) => {
  const deepFreeze = <T>(v: T): T => {
    if (typeof v === 'object' && v !== null) { Object.values(v).forEach(deepFreeze); Object.freeze(v); }
    return v;
  };
  const spec = deepFreeze(bare());
  const before = JSON.stringify(spec);
  const once = withDefaults(spec); // a write into a frozen object would throw here
  t.equal(JSON.stringify(spec), before, 'input unchanged');
  t.same(withDefaults(once), once, 'idempotent');
  once.services[0]!.env.EXTRA = 'x';
  t.notOk('env' in spec.services![0]!, 'the result shares nothing with the input');
});

t.test('absent layers stay absent: only settings with a default are filled', async (t) => {
  const r = withDefaults({ apiVersion: 'platformd.dev/v1alpha1', kind: 'Platform', metadata: { name: 'demo' }, region: 'eu-west-1' });
  t.same(r, {
    apiVersion: 'platformd.dev/v1alpha1', kind: 'Platform', metadata: { name: 'demo' }, region: 'eu-west-1',
    loadBalancerController: { install: true, version: 'v3.5.0', replicas: 2 }, ingress: { scheme: 'internet-facing', maxRulesPerGroup: 100 },
    services: [], deletion: { allow: [] }, reconcile: { mode: 'apply', pollInterval: '1m', resyncInterval: '10m' },
  });
  t.same(reconcileDefaults(), r.reconcile, 'what `run` goes by before it has read a spec');
});

t.test('the loader hands out resolved specs', async (t) => {
  const loaded = loadSpecText('apiVersion: platformd.dev/v1alpha1\nkind: Platform\nmetadata: {name: demo}\nregion: eu-west-1\n', 'platform.yaml', { protosDir: 'protos' });
  t.ok(loaded.ok);
  if (loaded.ok) t.same(loaded.spec.services, [], 'services defaulted');
});
