// The sandbox's kube-apiserver serves /openapi/v2 as kube-apiserver does: JSON, or gnostic's
// openapi.v2.Document protobuf to the Accept header kubectl before 1.27 sends, with one ETag for
// both, 304 on If-None-Match, gzip when asked, and 406 only for media types it has neither for.
// Raw HTTPS, to see status codes and headers; the protobuf is decoded with protobufjs.
import t from 'tap';
import { request } from 'node:https';
import { gunzipSync } from 'node:zlib';
import YAML from 'yaml';
import { SandboxCa } from '../../src/sandbox/ca.js';
import { startManagementCluster } from '../../src/sandbox/management-cluster.js';
import { gnosticRoot } from '../../src/sandbox/kube/openapi/gnostic-v2.js';

interface Reply { code: number; headers: Record<string, string | string[] | undefined>; body: Buffer }
interface NamedAny { name: string; value: { yaml: string } }
interface Operation { parameters?: { parameter?: { non_body_parameter?: { query_parameter_sub_schema?: { name: string } } } }[]; vendor_extension: NamedAny[] }
interface Decoded {
  swagger: string;
  definitions: { additional_properties: { name: string; value: { properties: { additional_properties: { name: string; value: { _ref?: string } }[] }; vendor_extension: NamedAny[] } }[] };
  paths: { path: { name: string; value: { patch?: Operation } }[] };
}

const PROTOBUF_ACCEPT = 'application/com.github.proto-openapi.spec.v2@v1.0+protobuf';

t.test('/openapi/v2 as JSON and as gnostic protobuf', async (t) => {
  const ca = await SandboxCa.create();
  const cluster = await startManagementCluster(ca);
  t.teardown(() => cluster.close());
  const get = (headers: Record<string, string>): Promise<Reply> => new Promise((done, fail) => {
    const req = request(`${cluster.endpoint}/openapi/v2`, { ca: ca.certPem, headers: { authorization: `Bearer ${cluster.token}`, ...headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => done({ code: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', fail);
    req.end();
  });

  // What kubectl 1.20's discovery client sends (Go's transport adds Accept-Encoding: gzip).
  const pb = await get({ accept: PROTOBUF_ACCEPT, 'accept-encoding': 'gzip' });
  t.equal(pb.code, 200, 'the protobuf media type is served');
  t.equal(pb.headers['content-type'], 'application/com.github.proto-openapi.spec.v2.v1.0+protobuf', 'under the non-deprecated name, as kube-openapi answers both');
  t.equal(pb.headers['content-encoding'], 'gzip', 'gzipped when asked');
  t.match(pb.headers.etag, /^"[0-9A-F]{128}"$/, 'a quoted SHA-512 ETag');
  const Document = gnosticRoot().lookupType('openapi.v2.Document');
  const doc = Document.toObject(Document.decode(gunzipSync(pb.body))) as Decoded;
  t.equal(doc.swagger, '2.0');
  const deployment = doc.definitions.additional_properties.find((d) => d.name === 'io.k8s.api.apps.v1.Deployment');
  t.ok(deployment, 'the Deployment definition is there');
  const gvk = deployment?.value.vendor_extension.find((e) => e.name === 'x-kubernetes-group-version-kind');
  t.same(YAML.parse(gvk?.value.yaml ?? ''), [{ group: 'apps', kind: 'Deployment', version: 'v1' }], 'with its group-version-kind extension as YAML (what kubectl\'s validation keys on)');
  t.equal(deployment?.value.properties.additional_properties.find((p) => p.name === 'spec')?.value._ref, '#/definitions/io.k8s.api.apps.v1.DeploymentSpec', '$ref is _ref');
  const patch = doc.paths.path.find((p) => p.name === '/apis/apps/v1/namespaces/{namespace}/deployments/{name}')?.value.patch;
  t.ok(patch?.parameters?.some((p) => p.parameter?.non_body_parameter?.query_parameter_sub_schema?.name === 'dryRun'),
    'PATCH declares dryRun as a query parameter (kubectl 1.20\'s dry-run verifier reads it there before diff)');

  const json = await get({ accept: 'application/json' });
  t.equal(json.code, 200);
  t.equal(json.headers['content-type'], 'application/json');
  t.equal(json.headers.etag, pb.headers.etag, 'one ETag for both representations (they Vary: Accept)');
  t.match(json.headers.vary, /Accept/);
  t.same(Object.keys((JSON.parse(json.body.toString()) as { definitions: object }).definitions).length, doc.definitions.additional_properties.length, 'the protobuf carries every definition of the JSON');

  t.equal((await get({ accept: PROTOBUF_ACCEPT, 'if-none-match': String(pb.headers.etag) })).code, 304, 'If-None-Match with the ETag: 304');
  t.equal((await get({})).headers['content-type'], 'application/json', 'no Accept: JSON, the first representation');
  t.equal((await get({ accept: 'text/html, application/com.github.proto-openapi.spec.v2.v1.0+protobuf;q=0.5' })).headers['content-type'],
    'application/com.github.proto-openapi.spec.v2.v1.0+protobuf', 'the first acceptable clause is served');
  const refused = await get({ accept: 'text/html' });
  t.equal(refused.code, 406, 'a type neither representation matches: 406');
  t.equal(refused.body.length, 0, 'with an empty body, as kube-openapi writes it');
});
