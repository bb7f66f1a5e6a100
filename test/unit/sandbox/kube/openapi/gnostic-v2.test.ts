// Swagger 2.0 JSON → gnostic's openapi.v2.Document as gnostic-models openapiv2/OpenAPIv2.go reads it,
// and /openapi/v2's Accept negotiation ordered as kube-openapi's handler (goautoneg) orders it.
import t from 'tap';
import YAML from 'yaml';
import { convert, encodeOpenApiV2, gnosticRoot } from '../../../../../src/sandbox/kube/openapi/gnostic-v2.js';
import { acceptClauses } from '../../../../../src/sandbox/kube/openapi-serve.js';

const type = (name: string) => gnosticRoot().lookupType(`openapi.v2.${name}`);

t.test('JSON shapes become the messages gnostic builds from them', async (t) => {
  const cases = [
    { message: 'Schema', json: { $ref: '#/definitions/a.B' }, want: { _ref: '#/definitions/a.B' }, reason: '$ref is the _ref field' },
    { message: 'Schema', json: { type: 'string', format: 'int-or-string' }, want: { type: { value: ['string'] }, format: 'int-or-string' }, reason: 'a type string is a one-element TypeItem' },
    { message: 'Schema', json: { type: 'array', items: { type: 'integer' } }, want: { type: { value: ['array'] }, items: { schema: [{ type: { value: ['integer'] } }] } }, reason: 'items is one Schema inside ItemsItem' },
    { message: 'Schema', json: { type: 'object', additionalProperties: true }, want: { type: { value: ['object'] }, additional_properties: { boolean: true } }, reason: 'a boolean additionalProperties takes the oneof\'s boolean' },
    { message: 'Schema', json: { properties: { b: { type: 'string' }, a: { type: 'integer' } } },
      want: { properties: { additional_properties: [{ name: 'b', value: { type: { value: ['string'] } } }, { name: 'a', value: { type: { value: ['integer'] } } }] } }, reason: 'properties are Named pairs in document order, not sorted' },
    { message: 'Schema', json: { type: 'object', 'x-kubernetes-list-map-keys': ['containerPort', 'protocol'] },
      want: { type: { value: ['object'] }, vendor_extension: [{ name: 'x-kubernetes-list-map-keys', value: { yaml: '- containerPort\n- protocol\n' } }] }, reason: 'an x- key is a NamedAny holding YAML text' },
    { message: 'Schema', json: { required: [], readOnly: false, maxLength: 0 }, want: {}, reason: 'proto3 defaults are not written, as proto.Marshal leaves them out' },
    { message: 'ParametersItem', json: { name: 'dryRun', in: 'query', type: 'string', uniqueItems: true },
      want: { parameter: { non_body_parameter: { query_parameter_sub_schema: { name: 'dryRun', in: 'query', type: 'string', unique_items: true } } } }, reason: 'a query parameter is the query alternative of NonBodyParameter (kubectl\'s dryRun verifier reads it there)' },
    { message: 'ParametersItem', json: { $ref: '#/parameters/body' }, want: { json_reference: { _ref: '#/parameters/body' } }, reason: 'a $ref parameter is a JsonReference' },
    { message: 'SchemaItem', json: { type: 'file' }, want: { file_schema: { type: 'file' } }, reason: 'a file response is a FileSchema (the later alternative wins)' },
    { message: 'SchemaItem', json: { type: 'object' }, want: { schema: { type: { value: ['object'] } } }, reason: 'any other type is a Schema' },
    { message: 'Responses', json: { 200: { description: 'OK' }, default: { description: 'Error' } },
      want: { response_code: [{ name: '200', value: { response: { description: 'OK' } } }, { name: 'default', value: { response: { description: 'Error' } } }] }, reason: 'status codes and default are response_code pairs' },
  ];
  for (const c of cases) t.same(convert(type(c.message), c.json), c.want, c.reason);
});

t.test('what gnostic refuses is refused, so a document kube-apiserver could not encode is not served', async (t) => {
  const cases = [
    { message: 'ParametersItem', json: { name: 'dryRun', in: 'query', schema: { type: 'string' } }, reason: 'an OpenAPI 3 parameter (type under schema) matches no Swagger 2.0 alternative' },
    { message: 'Schema', json: { type: 'object', nullable: true }, reason: 'nullable is not a Swagger 2.0 schema keyword' },
    { message: 'Schema', json: { maxLength: 1.5 }, reason: 'an int64 field takes integers only' },
    { message: 'Response', json: { schema: { type: 'object' } }, reason: 'a response needs its description' },
    { message: 'Document', json: { swagger: '3.0', info: { title: 'K', version: '1' }, paths: {} }, reason: 'swagger must be 2.0' },
    { message: 'Paths', json: { 'apis/apps/v1': {} }, reason: 'a path starts with /' },
  ];
  for (const c of cases) t.throws(() => convert(type(c.message), c.json), { name: 'GnosticError' }, c.reason);
});

t.test('an encoded document decodes back with the vendored .proto', async (t) => {
  const doc = { swagger: '2.0', info: { title: 'Kubernetes', version: 'v1.35.0' }, paths: {},
    definitions: { 'io.k8s.api.apps.v1.Deployment': { type: 'object', 'x-kubernetes-group-version-kind': [{ group: 'apps', kind: 'Deployment', version: 'v1' }] } } };
  const decoded = type('Document').toObject(type('Document').decode(encodeOpenApiV2(doc))) as { definitions: { additional_properties: { name: string; value: { vendor_extension: { name: string; value: { yaml: string } }[] } }[] } };
  const [deployment] = decoded.definitions.additional_properties;
  t.equal(deployment?.name, 'io.k8s.api.apps.v1.Deployment');
  const gvk = deployment?.value.vendor_extension.find((e) => e.name === 'x-kubernetes-group-version-kind');
  t.same(YAML.parse(gvk?.value.yaml ?? ''), [{ group: 'apps', kind: 'Deployment', version: 'v1' }], 'the extension\'s YAML parses back to the JSON value (kube-openapi VendorExtensionToMap)');
});

t.test('Accept clauses are tried best first', async (t) => {
  const cases = [
    { accept: '', want: ['*/*'], reason: 'no Accept means anything' },
    { accept: 'application/json;q=0.5, application/com.github.proto-openapi.spec.v2@v1.0+protobuf', want: ['application/com.github.proto-openapi.spec.v2@v1.0+protobuf', 'application/json'], reason: 'a higher q comes first' },
    { accept: '*/*, application/json', want: ['application/json', '*/*'], reason: 'at equal q a concrete type beats the wildcard' },
    { accept: 'application/*, application/json', want: ['application/json', 'application/*'], reason: 'and a concrete subtype beats application/*' },
  ];
  for (const c of cases) t.same(acceptClauses(c.accept).map((a) => `${a.type}/${a.subType}`), c.want, c.reason);
});
