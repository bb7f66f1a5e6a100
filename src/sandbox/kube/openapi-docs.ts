// The OpenAPI documents kube-apiserver publishes, built from the vendored 1.35 definitions
// (openapi/definitions-1.35.ts) and the resources the sandbox serves:
//
// - GET /openapi/v2: one Swagger 2.0 document (definitions + paths), served as JSON or, to clients
//   that ask for application/com.github.proto-openapi.spec.v2@v1.0+protobuf (kubectl before 1.27),
//   as gnostic's openapi.v2.Document protobuf, with ETag and gzip (openapi-serve.ts, openapi/gnostic-v2.ts).
//   https://kubernetes.io/docs/concepts/overview/kubernetes-api/#openapi-v2
// - GET /openapi/v3: the discovery document {paths: {"apis/apps/v1": {serverRelativeURL}}}, and
//   GET /openapi/v3/apis/<group>/<version> (or /api/v1): an OpenAPI 3.0 document per group-version
//   with components.schemas. https://kubernetes.io/docs/concepts/overview/kubernetes-api/#openapi-v3
//
// Paths carry what clients read from them: each operation's x-kubernetes-group-version-kind and
// x-kubernetes-action, and the query parameters dryRun, fieldManager, fieldValidation and force on
// writes — kubectl's QueryParamVerifierV3 (k8s.io/cli-runtime/pkg/resource/query_param_verifier_v3.go)
// decides from the PATCH operation's parameters whether the server validates fields itself, and
// otherwise validates client-side. Custom resources' group-versions are not listed (kubectl then checks
// the CustomResourceDefinition resource instead, as that verifier does for a group-version it cannot find).
import { createHash } from 'node:crypto';
import { DEFINITIONS_1_35 } from './openapi/definitions-1.35.js';
import { BUILTIN, type ApiResource } from './resources.js';
import { definitionName } from './builtin-schema.js';

type Json = Record<string, unknown>;

const gvPath = (group: string, version: string): string => (group ? `apis/${group}/${version}` : `api/${version}`);
/** A query parameter: OpenAPI 3 puts its type under `schema`, Swagger 2.0 beside `name` (as kube-apiserver writes each). */
function query(name: string, v3: boolean): Json {
  const type = { type: name === 'force' ? 'boolean' : 'string', uniqueItems: true };
  return v3 ? { name, in: 'query', schema: type } : { ...type, name, in: 'query' };
}

function paths(resources: readonly ApiResource[], ref: (name: string) => string, v3: boolean): Json {
  const out: Json = {};
  for (const r of resources) {
    const gvk = { group: r.group, version: r.version, kind: r.kind };
    const def = definitionName(r.group, r.version, r.kind);
    const body = def ? { $ref: ref(def) } : { type: 'object' };
    const response = v3 ? { '200': { description: 'OK', content: { 'application/json': { schema: body } } } } : { '200': { description: 'OK', schema: body } };
    const op = (action: string, params: Json[]) => ({ 'x-kubernetes-action': action, 'x-kubernetes-group-version-kind': gvk, parameters: params, responses: response });
    const writeParams = ['dryRun', 'fieldManager', 'fieldValidation'].map((n) => query(n, v3));
    const base = `/${gvPath(r.group, r.version)}${r.namespaced ? '/namespaces/{namespace}' : ''}/${r.plural}`;
    out[base] = { get: op('list', []), post: op('post', writeParams) };
    out[`${base}/{name}`] = { get: op('get', []), put: op('put', writeParams), patch: op('patch', [...writeParams, query('force', v3)]), delete: op('delete', [query('dryRun', v3)]) };
  }
  return out;
}

const info = { title: 'Kubernetes', version: 'v1.35.0' };

export function openApiV2(): Json {
  return { swagger: '2.0', info, paths: paths(BUILTIN, (n) => `#/definitions/${n}`, false), definitions: DEFINITIONS_1_35 };
}

/** OpenAPI 3 components: the v2 definitions with their references moved to #/components/schemas. */
let schemasV3: Json | undefined;
function componentsSchemas(): Json {
  schemasV3 ??= JSON.parse(JSON.stringify(DEFINITIONS_1_35).replaceAll('"#/definitions/', '"#/components/schemas/')) as Json;
  return schemasV3;
}

function openApiV3GroupVersion(group: string, version: string): Json | undefined {
  const resources = BUILTIN.filter((r) => r.group === group && r.version === version);
  if (resources.length === 0) return undefined;
  return { openapi: '3.0.0', info, paths: paths(resources, (n) => `#/components/schemas/${n}`, true), components: { schemas: componentsSchemas() } };
}

function openApiV3Root(): Json {
  const gvs = [...new Set(BUILTIN.map((r) => gvPath(r.group, r.version)))];
  return { paths: Object.fromEntries(gvs.map((p) => {
    const [group, version] = p.startsWith('api/') ? ['', p.slice(4)] : p.slice(5).split('/') as [string, string];
    const hash = createHash('sha512').update(JSON.stringify(openApiV3GroupVersion(group, version))).digest('hex').slice(0, 128).toUpperCase();
    return [p, { serverRelativeURL: `/openapi/v3/${p}?hash=${hash}` }];
  })) };
}

/** The document at an /openapi/... path, or undefined (404). */
export function openApiDocument(path: string): Json | undefined {
  if (path === '/openapi/v2') return openApiV2();
  if (path === '/openapi/v3') return openApiV3Root();
  const m = /^\/openapi\/v3\/(?:api\/(v1)|apis\/([^/]+)\/([^/]+))$/.exec(path);
  return m ? openApiV3GroupVersion(m[2] ?? '', m[1] ?? m[3]!) : undefined;
}
