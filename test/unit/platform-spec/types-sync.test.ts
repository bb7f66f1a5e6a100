// src/platform-spec/types.ts and schema/platform.schema.json describe the same document: for every
// interface, the same property names, and the same ones required. Fails when one side changes alone.
import t from 'tap';
import { readFileSync } from 'node:fs';
import ts from 'typescript';

const schema = JSON.parse(readFileSync('schema/platform.schema.json', 'utf8'));
const source = ts.createSourceFile('types.ts', readFileSync('src/platform-spec/types.ts', 'utf8'), ts.ScriptTarget.ES2022, true);

const INTERFACE_TO_SCHEMA: Record<string, any> = {
  PlatformSpec: schema,
  NetworkSpec: schema.$defs.network,
  SubnetSpec: schema.$defs.subnet,
  ClusterSpec: schema.$defs.cluster,
  NodeGroupSpec: schema.$defs.nodeGroup,
  LoadBalancerControllerSpec: schema.$defs.loadBalancerController,
  IngressSpec: schema.$defs.ingress,
  ServiceSpec: schema.$defs.service,
  ProbeSpec: schema.$defs.probe,
  DomainSpec: schema.$defs.domain,
  DeletionSpec: schema.$defs.deletion,
  ReconcileSpec: schema.$defs.reconcile,
};

function interfaceMembers(name: string): { name: string; optional: boolean }[] | undefined {
  let found: ts.InterfaceDeclaration | undefined;
  source.forEachChild((n) => {
    if (ts.isInterfaceDeclaration(n) && n.name.text === name) found = n;
  });
  return found?.members.filter(ts.isPropertySignature).map((m) => ({ name: m.name.getText(source), optional: m.questionToken !== undefined }));
}

for (const [iface, def] of Object.entries(INTERFACE_TO_SCHEMA)) {
  t.test(`${iface} matches its schema definition`, async (t) => {
    const members = interfaceMembers(iface);
    t.ok(members, `interface ${iface} exists in types.ts`);
    if (!members) return;
    t.same(members.map((m) => m.name).sort(), Object.keys(def.properties).sort(), 'same property names');
    t.same(members.filter((m) => !m.optional).map((m) => m.name).sort(), [...(def.required ?? [])].sort(), 'same required properties');
  });
}

t.test('every schema definition is covered by an interface', async (t) => {
  const covered = new Set(Object.values(INTERFACE_TO_SCHEMA));
  for (const [name, def] of Object.entries(schema.$defs)) t.ok(covered.has(def), `$defs.${name} has an interface`);
});
