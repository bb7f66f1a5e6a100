// Structural validation against schema/platform.schema.json (ajv, JSON Schema 2020-12), with
// ajv's errors turned into readable diagnostics at the offending node.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import type { Diagnostic } from './diagnostics.js';
import { MAX_DIAGNOSTICS } from './bounds.js';

const here = dirname(fileURLToPath(import.meta.url));

/**
 * The schema file shipped with the package: ../../schema from src/platform-spec and
 * dist/platform-spec, ../schema from the production bundle (dist/platformd.mjs).
 */
export function schemaPath(): string {
  const beside = join(here, '..', 'schema', 'platform.schema.json');
  return existsSync(beside) ? beside : join(here, '..', '..', 'schema', 'platform.schema.json');
}

let schema: object | undefined;
let compiled: ValidateFunction | undefined;

/** The parsed schema, read once per process (the validator and the defaults both use it). */
export function platformSchema(): object {
  schema ??= JSON.parse(readFileSync(schemaPath(), 'utf8')) as object;
  return schema;
}

function validator(): ValidateFunction {
  if (!compiled) {
    const ajv = new Ajv2020({ allErrors: true, strict: false, verbose: true });
    compiled = ajv.compile(platformSchema());
  }
  return compiled;
}

export type Locate = (pointer: string, key?: string) => { line: number; column: number };

/** Validate a parsed document; each problem shown becomes one diagnostic, the rest are counted. */
export function validateSchema(value: unknown, file: string, locate: Locate): { diagnostics: Diagnostic[]; hidden: number } {
  const validate = validator();
  if (validate(value)) return { diagnostics: [], hidden: 0 };
  // Located and worded one by one, so only as many as will be shown (plus one, so the cap's
  // "and K more" line still appears); the count of the rest is kept.
  const all = pruneBranchNoise(validate.errors ?? []);
  const shown = all.slice(0, MAX_DIAGNOSTICS + 1);
  const diagnostics: Diagnostic[] = shown.map((e) => {
    const key = e.keyword === 'additionalProperties' ? String(e.params.additionalProperty) : undefined;
    const pos = locate(e.instancePath, key);
    const path = key ? `${e.instancePath}/${key}` : e.instancePath;
    return { severity: 'error', code: 'SPEC_SCHEMA', summary: humanMessage(e, value), path, file, ...pos };
  });
  return { diagnostics, hidden: all.length - shown.length };
}

/**
 * oneOf/anyOf failures report every branch's errors; keep the branch-level summary only where
 * the branches' own errors would just repeat each other.
 */
function pruneBranchNoise(errors: ErrorObject[]): ErrorObject[] {
  const oneOfPaths = new Set(errors.filter((e) => e.keyword === 'oneOf').map((e) => e.instancePath));
  const seen = new Set<string>();
  return errors.filter((e) => {
    if (e.keyword !== 'oneOf' && oneOfPaths.has(e.instancePath) && (e.keyword === 'required' || e.keyword === 'additionalProperties')) return false;
    const k = `${e.instancePath}|${e.keyword}|${JSON.stringify(e.params)}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

const KNOWN_FIELDS_HINT = (e: ErrorObject): string => {
  const field = String(e.params.additionalProperty);
  const known = Object.keys((e.parentSchema as { properties?: Record<string, unknown> })?.properties ?? {});
  const near = known.find((k) => editDistance(k, field) <= 2);
  return `unknown field "${field}"${near ? ` (did you mean "${near}"?)` : known.length ? ` (allowed: ${known.join(', ')})` : ''}`;
};

function humanMessage(e: ErrorObject, root: unknown): string {
  const at = e.instancePath ? e.instancePath.split('/').pop() : 'document';
  switch (e.keyword) {
    case 'additionalProperties': return KNOWN_FIELDS_HINT(e);
    case 'required': return `missing required field "${e.params.missingProperty}"`;
    case 'type': return `"${at}" must be ${article(String(e.params.type))}, not ${describe(valueAt(root, e.instancePath))}`;
    case 'enum': return `"${at}" must be one of ${(e.params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`;
    case 'const': return `"${at}" must be ${JSON.stringify(e.params.allowedValue)}`;
    case 'pattern': return `"${at}" has an invalid format: ${JSON.stringify(valueAt(root, e.instancePath))}${(e.parentSchema as { description?: string })?.description ? ` — ${(e.parentSchema as { description: string }).description}` : ''}`;
    case 'minimum': case 'maximum': case 'minItems': case 'maxItems': case 'maxLength': case 'minLength':
      return `"${at}" ${e.message}`;
    case 'oneOf': return `"${at}" must match exactly one form: ${describeOneOf(e)}`;
    case 'uniqueItems': return `"${at}" lists the same value twice`;
    default: return `"${at}" ${e.message ?? 'is invalid'}`;
  }
}

function describeOneOf(e: ErrorObject): string {
  const branches = (e.schema as { required?: string[]; properties?: Record<string, unknown> }[]) ?? [];
  return branches.map((b) => (b.required ?? Object.keys(b.properties ?? {})).join(' + ') || 'object').join(', or ');
}

function valueAt(root: unknown, pointer: string): unknown {
  let v = root;
  for (const seg of pointer.split('/').slice(1)) v = typeof v === 'object' && v !== null ? (v as Record<string, unknown>)[seg] : undefined;
  return v;
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  return `${typeof v} ${JSON.stringify(v)}`;
}

function article(type: string): string {
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}

function editDistance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array(b.length).fill(0)] as number[]);
  for (let j = 1; j <= b.length; j++) d[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
  }
  return d[a.length]![b.length]!;
}
