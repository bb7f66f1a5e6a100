// Built-in objects checked against Kubernetes' own OpenAPI definitions (openapi/definitions-1.35.ts),
// the way kube-apiserver decodes a request body into its Go types:
//
// - A value of the wrong JSON type fails decoding with encoding/json's UnmarshalTypeError text
//   ("json: cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of type int32";
//   kube's fork sigs.k8s.io/json keeps Go 1.17's message: innermost struct, full dotted field path).
//   POST/PUT answer 400 BadRequest "<Kind> in version "v1" cannot be handled as a <Kind>: …"
//   (staging/src/k8s.io/apiserver/pkg/endpoints/handlers/create.go and update.go, transformDecodeError);
//   merge/strategic/JSON patches answer 422 Invalid on the field "patch" (handlers/patch.go,
//   applyPatchToCurrentObject: field.Invalid(field.NewPath("patch"), patchedJS, err)).
// - An unknown field is a strict decoding error, reported as `unknown field "spec.foo"` (lists as
//   `[0]`, map keys and struct fields as `.key`: sigs.k8s.io/json strict field paths). Under
//   fieldValidation=Strict it is 400 BadRequest ("… cannot be handled as a …: strict decoding error:
//   unknown field …" for create/update, "strict decoding error: unknown field …" for patches); under Warn
//   (the default when the parameter is absent: handlers/rest.go fieldValidation()) a
//   `Warning: 299 - "unknown field \"spec.foo\""` header; under Ignore nothing. Either way the field is
//   dropped, since the Go struct has nowhere to keep it.
//   https://kubernetes.io/docs/reference/using-api/api-concepts/#field-validation
// - Server-side apply converts the applied configuration to its structured-merge-diff type first, which
//   refuses unknown fields whatever fieldValidation says ("failed to create typed patch object (ns/name;
//   apps/v1, Kind=Deployment): .spec.foo: field not declared in schema", an HTTP 500 upstream:
//   staging/src/k8s.io/apimachinery/pkg/util/managedfields/internal/structuredmerge.go; kubernetes#139253).
//
// Types with their own JSON decoding are lenient as upstream: IntOrString (integer or string),
// Quantity (string or number), untyped definitions and objects without properties (RawExtension,
// FieldsV1, the JSON values inside a CRD's schema) take anything. null decodes to nothing everywhere.
import { DEFINITIONS_1_35 } from './openapi/definitions-1.35.js';
import { KubeError } from './store.js';

interface Schema {
  type?: string;
  format?: string;
  $ref?: string;
  properties?: Record<string, Schema>;
  additionalProperties?: Schema | boolean;
  items?: Schema;
  'x-kubernetes-group-version-kind'?: { group: string; version: string; kind: string }[];
}

export type FieldValidation = 'Strict' | 'Warn' | 'Ignore';

const DEFINITIONS = DEFINITIONS_1_35 as Readonly<Record<string, Schema>>;
const isObj = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
const refName = (s: Schema): string | undefined => s.$ref?.replace('#/definitions/', '');

/** The definition name serving group/version/kind, if Kubernetes 1.35 has one. */
export function definitionName(group: string, version: string, kind: string): string | undefined {
  return Object.keys(DEFINITIONS).find((name) => (DEFINITIONS[name]!['x-kubernetes-group-version-kind'] ?? []).some((g) => g.group === group && g.version === version && g.kind === kind));
}

/** Go's type name for a schema, as UnmarshalTypeError prints it: int32, []v1.Container, map[string]string, v1.DeploymentSpec. */
function goType(s: Schema): string {
  const ref = refName(s);
  if (ref) {
    const parts = ref.split('.');
    return `${parts.at(-2)}.${parts.at(-1)}`;
  }
  if (s.type === 'integer') return s.format === 'int64' ? 'int64' : 'int32';
  if (s.type === 'number') return 'float64';
  if (s.type === 'boolean') return 'bool';
  if (s.type === 'array') return `[]${goType(s.items ?? {})}`;
  if (s.type === 'object' && isObj(s.additionalProperties)) return `map[string]${goType(s.additionalProperties)}`;
  return s.type ?? 'interface {}';
}

/** encoding/json's name for a JSON value it could not store ("number 1.5" only when a number misses an integer). */
function jsonValueName(v: unknown, into: string): string {
  if (typeof v === 'number') return !Number.isInteger(v) && into.startsWith('int') ? `number ${v}` : 'number';
  if (typeof v === 'boolean') return 'bool';
  if (Array.isArray(v)) return 'array';
  return typeof v === 'string' ? 'string' : 'object';
}

export interface DecodeOutcome {
  /** Strict decoding errors' field paths (each field also removed from the object). */
  unknown: string[];
  /** The first type error, as encoding/json prints it. */
  typeError?: string;
}

/**
 * Walks `obj` as the Go decoder would, removing unknown fields. Pure except for that removal;
 * objects of kinds without a 1.35 definition (custom resources) are left alone.
 */
function decodeBuiltin(obj: Record<string, unknown>, group: string, version: string, kind: string): DecodeOutcome {
  const out: DecodeOutcome = { unknown: [] };
  const root = definitionName(group, version, kind);
  if (!root) return out;
  const walk = (value: unknown, schema: Schema, struct: string, fieldPath: string, strictPath: string): void => {
    if (value === null || value === undefined || out.typeError) return;
    const ref = refName(schema);
    const s = ref ? DEFINITIONS[ref] ?? {} : schema;
    const structName = ref ? ref.split('.').at(-1)! : struct;
    const mismatch = () => {
      const into = goType(schema);
      out.typeError = `json: cannot unmarshal ${jsonValueName(value, into)} into Go ${fieldPath ? `struct field ${struct}.${fieldPath}` : 'value'} of type ${into}`;
    };
    if (s.format === 'int-or-string') return void ((typeof value === 'string' || (typeof value === 'number' && Number.isInteger(value))) || mismatch());
    if (ref === 'io.k8s.apimachinery.pkg.api.resource.Quantity') return void ((typeof value === 'string' || typeof value === 'number') || mismatch());
    switch (s.type) {
      case 'integer': return void ((typeof value === 'number' && Number.isInteger(value)) || mismatch());
      case 'number': return void (typeof value === 'number' || mismatch());
      case 'boolean': return void (typeof value === 'boolean' || mismatch());
      case 'string': return void (typeof value === 'string' || mismatch());
      case 'array':
        if (!Array.isArray(value)) return mismatch();
        value.forEach((el, i) => walk(el, s.items ?? {}, structName, fieldPath, `${strictPath}[${i}]`));
        return;
      case 'object': {
        if (!isObj(value)) return mismatch();
        const props = s.properties;
        const extra = isObj(s.additionalProperties) ? s.additionalProperties : undefined;
        if (!props && !extra) return; // RawExtension, FieldsV1, …: raw JSON
        for (const [key, v] of Object.entries(value)) {
          const sub = props?.[key] ?? extra;
          const childStrict = strictPath ? `${strictPath}.${key}` : key;
          if (!sub) {
            out.unknown.push(childStrict);
            delete value[key];
            continue;
          }
          walk(v, sub, structName, props?.[key] ? (fieldPath ? `${fieldPath}.${key}` : key) : fieldPath, childStrict);
        }
        return;
      }
      default: return; // untyped: JSON of any shape (JSONSchemaPropsOrBool, JSON, …)
    }
  };
  walk(obj, { $ref: `#/definitions/${root}` }, root.split('.').at(-1)!, '', '');
  return out;
}

/**
 * A create (POST) or update (PUT) body decoded as kube-apiserver does: throws its 400 for a type error
 * or, under Strict, for unknown fields; returns the warnings to send (Warn). Removes unknown fields.
 */
export function admitBuiltinBody(obj: Record<string, unknown>, group: string, version: string, kind: string, directive: FieldValidation): string[] {
  const r = decodeBuiltin(obj, group, version, kind);
  const prefix = `${kind} in version "${version}" cannot be handled as a ${kind}: `;
  if (r.typeError) throw new KubeError(400, 'BadRequest', `${prefix}${r.typeError}`);
  return strictOutcome(r.unknown, directive, prefix);
}

/** The object a merge/strategic/JSON patch produced, decoded as handlers/patch.go does. */
export function admitBuiltinPatched(obj: Record<string, unknown>, group: string, version: string, kind: string, directive: FieldValidation): string[] {
  const text = JSON.stringify(obj);
  const r = decodeBuiltin(obj, group, version, kind);
  if (r.typeError) {
    const message = `Invalid value: ${JSON.stringify(text)}: ${r.typeError}`;
    throw new KubeError(422, 'Invalid', ` "" is invalid: patch: ${message}`, { causes: [{ reason: 'FieldValueInvalid', message, field: 'patch' }] });
  }
  return strictOutcome(r.unknown, directive, '');
}

function strictOutcome(unknown: string[], directive: FieldValidation, prefix: string): string[] {
  if (unknown.length === 0 || directive === 'Ignore') return [];
  const errors = unknown.map((p) => `unknown field ${JSON.stringify(p)}`);
  if (directive === 'Strict') throw new KubeError(400, 'BadRequest', `${prefix}strict decoding error: ${errors.join(', ')}`);
  return errors;
}

/** Server-side apply's typed conversion of the applied configuration (unknown fields refused with a 500, as upstream). */
export function checkApplyConfiguration(config: Record<string, unknown>, group: string, version: string, kind: string, namespace: string | undefined, name: string): void {
  const copy = structuredClone(config);
  const r = decodeBuiltin(copy, group, version, kind);
  const errors = [
    // (list-map elements print as [name="app"] there, as [0] here.)
    ...r.unknown.map((p) => `.${p}: field not declared in schema`),
    // structured-merge-diff words type errors its own way (typed/validate.go); the field path is what matters here.
    ...(r.typeError ? [r.typeError.replace(/^json: cannot unmarshal (\S+(?: \S+)?) into Go (?:struct field \S+?\.|value)(\S*) of type (\S+)$/, '.$2: expected $3, got $1')] : []),
  ];
  if (errors.length === 0) return;
  const gvk = `${group ? `${group}/` : '/'}${version}, Kind=${kind}`;
  const text = errors.length === 1 ? errors[0] : `errors:\n  ${errors.join('\n  ')}`;
  // A plain error upstream, so the Status carries no reason.
  throw new KubeError(500, '', `failed to create typed patch object (${namespace ?? ''}/${name}; ${gvk}): ${text}`);
}
