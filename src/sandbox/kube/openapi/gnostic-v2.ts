// A Swagger 2.0 JSON document → gnostic's `openapi.v2.Document` protobuf, as kube-apiserver builds
// its protobuf /openapi/v2 (k8s.io/kube-openapi/pkg/handler ToProtoBinary: openapi_v2.ParseDocument
// of the JSON, then proto.Marshal). The rules are those of gnostic-models openapiv2/OpenAPIv2.go
// (NewDocument, NewSchema, NewAny, …), read at commit a84a29ee8efac8d764f8dd251aa316fcaa61c60c:
//
// - Maps become repeated Named* pairs in document order: `definitions`, `properties`, `parameters`,
//   `responses` … (`additional_properties`), `paths` (keys `^/`), response codes (`^[0-9]{3}$|^default$`).
// - Keys `^x-` become `vendor_extension` NamedAny pairs; an Any keeps its value as YAML text
//   (compiler.Marshal: yaml.v3 block style, 4-space indent; kubectl parses it back with yaml.Unmarshal).
// - `$ref` becomes `_ref`; a `type` string becomes TypeItem{value: [type]}; `items` is one Schema.
// - A oneof tries its alternatives in field order and the last that matches wins (NewParameter,
//   NewNonBodyParameter, NewSchemaItem …), so a query parameter needs `in: query` and a `type`.
// - What gnostic refuses (a key not allowed, a required key missing, a value outside an enum, a
//   wrong scalar type) throws here, where kube-apiserver would fail to build the document.
//
// Scalars at their proto3 default are left out, as Go's proto.Marshal leaves them out.
import protobuf from 'protobufjs';
import YAML from 'yaml';
import { OPENAPI_V2_PROTO } from './gnostic-openapiv2-proto.js';

type Message = Record<string, unknown>;

/** gnostic could not read the document as OpenAPI v2 (kube-apiserver would fail ToProtoBinary). */
export class GnosticError extends Error {
  override name = 'GnosticError';
}

let root: protobuf.Root | undefined;
/** The parsed openapi.v2 package, field names as in the .proto (snake_case). */
export function gnosticRoot(): protobuf.Root {
  if (root) return root;
  const r = new protobuf.Root();
  r.addJSON(protobuf.common.get('google/protobuf/any.proto')!.nested!);
  protobuf.parse(OPENAPI_V2_PROTO, r, { keepCase: true });
  r.resolveAll();
  root = r;
  return r;
}

/** requiredKeys in OpenAPIv2.go, per message. */
const REQUIRED: Readonly<Record<string, readonly string[]>> = {
  ApiKeySecurity: ['in', 'name', 'type'], BasicAuthenticationSecurity: ['type'], BodyParameter: ['in', 'name', 'schema'],
  Document: ['info', 'paths', 'swagger'], ExternalDocs: ['url'], FileSchema: ['type'], Header: ['type'], Info: ['title', 'version'],
  JsonReference: ['$ref'], License: ['name'], Oauth2AccessCodeSecurity: ['authorizationUrl', 'flow', 'tokenUrl', 'type'],
  Oauth2ApplicationSecurity: ['flow', 'tokenUrl', 'type'], Oauth2ImplicitSecurity: ['authorizationUrl', 'flow', 'type'],
  Oauth2PasswordSecurity: ['flow', 'tokenUrl', 'type'], Operation: ['responses'], PathParameterSubSchema: ['required'],
  Response: ['description'], Tag: ['name'],
};

const TYPES = ['string', 'number', 'boolean', 'integer', 'array'];
const FORMATS = ['csv', 'ssv', 'tsv', 'pipes'];
const SCHEMES = ['http', 'https', 'ws', 'wss'];
/** "check for valid enum values" in OpenAPIv2.go: message → key → allowed strings. */
const ENUMS: Readonly<Record<string, Readonly<Record<string, readonly string[]>>>> = {
  ApiKeySecurity: { type: ['apiKey'], in: ['header', 'query'] }, BasicAuthenticationSecurity: { type: ['basic'] },
  BodyParameter: { in: ['body'] }, Document: { swagger: ['2.0'], schemes: SCHEMES }, Operation: { schemes: SCHEMES },
  FileSchema: { type: ['file'] },
  FormDataParameterSubSchema: { in: ['formData'], type: [...TYPES, 'file'], collectionFormat: [...FORMATS, 'multi'] },
  QueryParameterSubSchema: { in: ['query'], type: TYPES, collectionFormat: [...FORMATS, 'multi'] },
  HeaderParameterSubSchema: { in: ['header'], type: TYPES, collectionFormat: FORMATS },
  PathParameterSubSchema: { in: ['path'], type: TYPES, collectionFormat: FORMATS },
  Header: { type: TYPES, collectionFormat: FORMATS }, PrimitivesItems: { type: TYPES, collectionFormat: FORMATS },
  Oauth2AccessCodeSecurity: { type: ['oauth2'], flow: ['accessCode'] }, Oauth2ApplicationSecurity: { type: ['oauth2'], flow: ['application'] },
  Oauth2ImplicitSecurity: { type: ['oauth2'], flow: ['implicit'] }, Oauth2PasswordSecurity: { type: ['oauth2'], flow: ['password'] },
};

/** Messages whose JSON form is a map with pattern-selected keys (NewPaths, NewResponses). */
const PATTERN_MAPS: Readonly<Record<string, { field: string; key: RegExp }>> = {
  Paths: { field: 'path', key: /^\// },
  Responses: { field: 'response_code', key: /^([0-9]{3})$|^(default)$/ },
};

const isObject = (v: unknown): v is Message => typeof v === 'object' && v !== null && !Array.isArray(v);
const isDefault = (v: unknown): boolean => v === '' || v === 0 || v === false || (Array.isArray(v) && v.length === 0);
/** The JSON key of a proto field: camelCase (json_name), `$ref` for `_ref`. */
const jsonKey = (field: protobuf.Field): string => (field.name === '_ref' ? '$ref' : field.name.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase()));

/** NewAny: the value as YAML text (compiler.Marshal clears flow styles; yaml.v3 indents by 4, never folds). */
export function anyYaml(value: unknown): string {
  return YAML.stringify(value, { indent: 4, lineWidth: 0 });
}

const keyedFields = new WeakMap<protobuf.Type, Map<string, protobuf.Field>>();
/** A message's fields by JSON key, vendor_extension aside (its keys are the x- ones). */
function fieldsByKey(type: protobuf.Type): Map<string, protobuf.Field> {
  let byKey = keyedFields.get(type);
  if (!byKey) {
    byKey = new Map(type.fieldsArray.filter((f) => f.name !== 'vendor_extension').map((f) => [jsonKey(f), f]));
    keyedFields.set(type, byKey);
  }
  return byKey;
}

function fail(at: string, message: string): never {
  throw new GnosticError(`${at || '$root'} ${message}`);
}

/** StringForScalarNode, BoolForScalarNode, FloatForScalarNode, IntForScalarNode. */
function scalar(type: string, value: unknown, at: string): unknown {
  if (type === 'string' && (typeof value === 'string' || Number.isInteger(value))) return String(value);
  if (type === 'string' && value === null) return '';
  if (type === 'bool' && typeof value === 'boolean') return value;
  if (type === 'double' && typeof value === 'number') return value;
  if (type === 'int64' && Number.isInteger(value)) return value;
  return fail(at, `has unexpected value: ${JSON.stringify(value)}`);
}

function fieldValue(field: protobuf.Field, value: unknown, at: string): unknown {
  const one = (v: unknown, where: string) => (field.resolvedType instanceof protobuf.Type ? convert(field.resolvedType, v, where) : scalar(field.type, v, where));
  if (!field.repeated) return one(value, at);
  if (!Array.isArray(value)) return fail(at, `has unexpected value for ${jsonKey(field)}: ${JSON.stringify(value)}`);
  return value.map((v, i) => one(v, `${at}[${i}]`));
}

/** A NamedX pair, its value converted as the `value` field of the pair's message says. */
function named(pairType: protobuf.Type, name: string, value: unknown, at: string): Message {
  return { name, value: fieldValue(pairType.fields.value!, value, `${at}.${name}`) };
}

/** A map of Named* pairs in document order, under `field` of `type`. */
function pairs(type: protobuf.Type, fieldName: string, entries: [string, unknown][], at: string): Message[] {
  const pairType = type.fields[fieldName]!.resolvedType as protobuf.Type;
  return entries.map(([k, v]) => named(pairType, k, v, at));
}

/** A oneof message: every alternative in field order, the last that matches wins. */
function oneof(type: protobuf.Type, value: unknown, at: string): Message {
  let chosen: Message | undefined;
  // NOTE(perf): alternatives that do not match are the normal case here (a query parameter fails
  // three of NonBodyParameter's four); their errors are discarded, so they need no stack trace.
  const stackTraceLimit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    for (const field of type.oneofsArray[0]!.fieldsArray) {
      try {
        chosen = { [field.name]: fieldValue(field, value, at) };
      } catch (err) {
        if (!(err instanceof GnosticError)) throw err;
      }
    }
  } finally {
    Error.stackTraceLimit = stackTraceLimit;
  }
  return chosen ?? fail(at, `contains an invalid ${type.name}`);
}

/** The plain object protobufjs encodes as `type`, from the JSON value gnostic would read into it. */
export function convert(type: protobuf.Type, value: unknown, at = ''): Message {
  if (type.fullName === '.google.protobuf.Any') return fail(at, 'is a google.protobuf.Any, which gnostic only fills from extensions');
  if (type.name === 'Any') return { yaml: anyYaml(value) };
  if (type.name === 'TypeItem' || type.name === 'StringArray') {
    const values = typeof value === 'string' ? [value] : value;
    if (!Array.isArray(values) || values.some((v) => typeof v === 'object' && v !== null)) return fail(at, `has unexpected value for string array: ${JSON.stringify(value)}`);
    return { value: values.map(String) };
  }
  if (type.name === 'ItemsItem') return { schema: [convert(type.fields.schema!.resolvedType as protobuf.Type, value, `${at}.<array>`)] };
  if (type.oneofsArray.length > 0) return oneof(type, value, at);
  if (!isObject(value)) return fail(at, `has unexpected value: ${JSON.stringify(value)}`);
  const entries = Object.entries(value);
  // Definitions, Properties, ParameterDefinitions, … : every key is a name (NewDefinitions "MAP: Schema").
  if (type.fieldsArray.length === 1 && type.fields.additional_properties) return { additional_properties: pairs(type, 'additional_properties', entries, at) };
  const out: Message = {};
  const extensions = entries.filter(([k]) => k.startsWith('x-'));
  const pattern = PATTERN_MAPS[type.name];
  if (pattern) {
    const invalid = entries.filter(([k]) => !k.startsWith('x-') && !pattern.key.test(k)).map(([k]) => k);
    if (invalid.length > 0) fail(at, `has invalid properties: ${invalid.join(', ')}`);
    const matched = pairs(type, pattern.field, entries.filter(([k]) => pattern.key.test(k)), at);
    if (matched.length > 0) out[pattern.field] = matched;
  } else {
    const byKey = fieldsByKey(type);
    const invalid = entries.filter(([k]) => !(k.startsWith('x-') && type.fields.vendor_extension) && !byKey.has(k)).map(([k]) => k);
    if (invalid.length > 0) fail(at, `has invalid properties: ${invalid.join(', ')}`);
    const missing = (REQUIRED[type.name] ?? []).filter((k) => !(k in value));
    if (missing.length > 0) fail(at, `is missing required properties: ${missing.join(', ')}`);
    for (const [key, field] of byKey) {
      if (!(key in value) || (value[key] === null && field.resolvedType)) continue;
      const converted = fieldValue(field, value[key], `${at}.${key}`);
      const allowed = ENUMS[type.name]?.[key];
      const strings = Array.isArray(converted) ? converted : [converted];
      if (allowed && strings.some((s) => typeof s === 'string' && !allowed.includes(s))) fail(at, `has unexpected value for ${key}: ${JSON.stringify(value[key])}`);
      if (!isDefault(converted)) out[field.name] = converted;
    }
  }
  if (extensions.length > 0 && type.fields.vendor_extension) out.vendor_extension = pairs(type, 'vendor_extension', extensions, at);
  return out;
}

/** proto.Marshal(openapi_v2.ParseDocument(json)): the bytes kube-apiserver serves as protobuf. */
export function encodeOpenApiV2(document: unknown): Uint8Array {
  const type = gnosticRoot().lookupType('openapi.v2.Document');
  return type.encode(type.fromObject(convert(type, document))).finish();
}
