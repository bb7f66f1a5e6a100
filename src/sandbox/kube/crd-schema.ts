// Custom resources as apiextensions-apiserver treats them: every write is pruned to the CRD's
// structural schema for the requested version, then validated against it; a violation is a 422
// Invalid Status with one cause per field error.
//
// Pruning: staging/src/k8s.io/apiextensions-apiserver/pkg/apiserver/schema/pruning/algorithm.go —
// fields not declared in `properties` are dropped unless `x-kubernetes-preserve-unknown-fields` is
// true; `additionalProperties` schemas apply to every value of a map; `items` to every element;
// apiVersion, kind and metadata at the root (and in x-kubernetes-embedded-resource) are kept.
// Validation: staging/src/k8s.io/apiextensions-apiserver/pkg/apiserver/validation/validation.go
// (OpenAPI v3 keywords through kube-openapi's validator): type, nullable, enum, required,
// minimum/maximum, minLength/maxLength, pattern, minItems/maxItems, x-kubernetes-int-or-string.
// Error texts: staging/src/k8s.io/apimachinery/pkg/util/validation/field/errors.go.
import { KubeError } from './store.js';

type Json = unknown;
type Obj = Record<string, any>;
export type Schema = Obj;

const isObj = (v: Json): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);

/** Mutates `value`: removes what `schema` does not declare (returns the pruned value). */
export function prune(value: Json, schema: Schema | undefined, root = false): Json {
  if (!schema) return value;
  if (Array.isArray(value)) {
    if (isObj(schema.items)) for (let i = 0; i < value.length; i++) value[i] = prune(value[i], schema.items);
    return value;
  }
  if (!isObj(value)) return value;
  const embedded = root || schema['x-kubernetes-embedded-resource'] === true;
  const properties: Obj = isObj(schema.properties) ? schema.properties : {};
  for (const key of Object.keys(value)) {
    if (embedded && ['apiVersion', 'kind', 'metadata'].includes(key)) continue;
    if (key in properties) value[key] = prune(value[key], properties[key]);
    else if (isObj(schema.additionalProperties)) value[key] = prune(value[key], schema.additionalProperties);
    else if (schema['x-kubernetes-preserve-unknown-fields'] !== true && schema.additionalProperties !== true) delete value[key];
  }
  return value;
}

export interface FieldError {
  reason: 'FieldValueRequired' | 'FieldValueTypeInvalid' | 'FieldValueNotSupported' | 'FieldValueInvalid';
  field: string;
  /** The error body as field.Error.ErrorBody() prints it. */
  message: string;
}

const show = (v: Json): string => (typeof v === 'string' ? JSON.stringify(v) : JSON.stringify(v) ?? 'null');

function typeOf(v: Json): string {
  if (Array.isArray(v)) return 'array';
  if (v === null) return 'null';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v;
}

function typeMatches(type: string, v: Json): boolean {
  const t = typeOf(v);
  return t === type || (type === 'number' && t === 'integer');
}

/** Pure: every violation of `schema` by `value` at `path` (dotted, as the API server prints it). */
export function validate(value: Json, schema: Schema | undefined, path: string, out: FieldError[] = []): FieldError[] {
  if (!schema) return out;
  const at = path || '<root>';
  if (value === null && schema.nullable === true) return out;
  if (schema['x-kubernetes-int-or-string'] === true) {
    if (typeof value !== 'string' && !(typeof value === 'number' && Number.isInteger(value))) {
      out.push({ reason: 'FieldValueTypeInvalid', field: at, message: `Invalid value: ${show(typeOf(value))}: ${at} in body must be of type integer,string: ${show(typeOf(value))}` });
    }
    return out;
  }
  if (typeof schema.type === 'string' && !typeMatches(schema.type, value)) {
    out.push({ reason: 'FieldValueTypeInvalid', field: at, message: `Invalid value: ${show(typeOf(value))}: ${at} in body must be of type ${schema.type}: ${show(typeOf(value))}` });
    return out;
  }
  if (Array.isArray(schema.enum) && !schema.enum.some((e: Json) => JSON.stringify(e) === JSON.stringify(value))) {
    out.push({ reason: 'FieldValueNotSupported', field: at, message: `Unsupported value: ${show(value)}: supported values: ${schema.enum.map(show).join(', ')}` });
  }
  if (typeof value === 'number') {
    if (typeof schema.minimum === 'number' && value < schema.minimum) out.push({ reason: 'FieldValueInvalid', field: at, message: `Invalid value: ${value}: ${at} in body should be greater than or equal to ${schema.minimum}` });
    if (typeof schema.maximum === 'number' && value > schema.maximum) out.push({ reason: 'FieldValueInvalid', field: at, message: `Invalid value: ${value}: ${at} in body should be less than or equal to ${schema.maximum}` });
  }
  if (typeof value === 'string') {
    if (typeof schema.minLength === 'number' && value.length < schema.minLength) out.push({ reason: 'FieldValueInvalid', field: at, message: `Invalid value: ${show(value)}: ${at} in body should be at least ${schema.minLength} chars long` });
    if (typeof schema.maxLength === 'number' && value.length > schema.maxLength) out.push({ reason: 'FieldValueInvalid', field: at, message: `Invalid value: ${show(value)}: ${at} in body may not be longer than ${schema.maxLength}` });
    if (typeof schema.pattern === 'string' && !new RegExp(schema.pattern, 'u').test(value)) out.push({ reason: 'FieldValueInvalid', field: at, message: `Invalid value: ${show(value)}: ${at} in body should match '${schema.pattern}'` });
  }
  if (Array.isArray(value)) {
    if (typeof schema.minItems === 'number' && value.length < schema.minItems) out.push({ reason: 'FieldValueInvalid', field: at, message: `Invalid value: ${value.length}: ${at} in body should have at least ${schema.minItems} items` });
    if (typeof schema.maxItems === 'number' && value.length > schema.maxItems) out.push({ reason: 'FieldValueInvalid', field: at, message: `Invalid value: ${value.length}: ${at} in body should have at most ${schema.maxItems} items` });
    value.forEach((el, i) => validate(el, schema.items, `${path}[${i}]`, out));
  }
  if (isObj(value)) {
    for (const key of Array.isArray(schema.required) ? schema.required : []) {
      if (value[key] === undefined) out.push({ reason: 'FieldValueRequired', field: path ? `${path}.${key}` : key, message: 'Required value' });
    }
    const properties: Obj = isObj(schema.properties) ? schema.properties : {};
    for (const [key, v] of Object.entries(value)) {
      if (!path && ['apiVersion', 'kind', 'metadata'].includes(key)) continue;
      const sub = properties[key] ?? (isObj(schema.additionalProperties) ? schema.additionalProperties : undefined);
      validate(v, sub, path ? `${path}.${key}` : key, out);
    }
  }
  return out;
}

/** The schema a CRD declares for one of its versions (per-version or the top-level `validation`). */
export function versionSchema(crd: Obj, version: string): Schema | undefined {
  const v = (crd.spec?.versions ?? []).find((x: Obj) => x.name === version);
  return v?.schema?.openAPIV3Schema ?? crd.spec?.validation?.openAPIV3Schema;
}

/**
 * Prunes `obj` to its CRD's schema for `version` and throws the API server's 422 when what is
 * left violates it (details.causes as StatusCause {reason, message, field}).
 */
export function admitCustomResource(obj: Obj, crd: Obj, version: string): void {
  const schema = versionSchema(crd, version);
  if (!schema) return;
  prune(obj, schema, true);
  const errors = validate(obj, schema, '');
  if (errors.length === 0) return;
  const group: string = crd.spec?.group ?? '';
  const kind: string = crd.spec?.names?.kind ?? obj.kind;
  const name: string = obj.metadata?.name ?? '';
  const lines = errors.map((e) => `${e.field}: ${e.message}`);
  const message = `${kind}.${group} "${name}" is invalid: ${lines.length === 1 ? lines[0] : `[${lines.join(', ')}]`}`;
  throw new KubeError(422, 'Invalid', message, { name, group, kind, causes: errors.map((e) => ({ reason: e.reason, message: e.message, field: e.field })) });
}
