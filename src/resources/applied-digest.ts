// What platformd last applied to an AWS resource, recorded on the resource itself so that a
// stateless plan can tell "the spec changed" from "someone changed the live object": a tag whose
// value holds one short hash per unit of the desired properties platformd applied (refs resolved),
// a unit being what a diff reports a field for: a property, or one entry of a map-valued property
// (tags.Name, routes.0.0.0.0/0) plus that map's key set. A field that differs while the recorded
// hash of its unit equals the hash of the desired value was changed outside platformd; one whose
// unit hash differs changed in the spec.
//
// NOTE(granularity): a single hash of everything could only say "something in the spec changed";
// per-unit hashes say which fields, so one plan can hold both kinds (origin "both"). A field whose
// unit changed in the spec and was also changed live reads as "spec": the spec wins either way, and
// a hash cannot say what the live value was.
import { createHash } from 'node:crypto';
import type { DiffResult, FieldOrigin } from './kind.js';

/** The tag holding the record; never compared by a diff (kinds strip it with the ownership tags). */
export const TAG_APPLIED_DIGEST = 'platformd.dev/applied-digest';

const FORMAT = 'v1';
/** AWS tag values hold at most 256 characters (EC2, IAM, ELBv2, EKS, ACM alike). */
const MAX_TAG_VALUE = 256;

const isObj = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** JSON with object keys sorted, so equal values hash alike whatever their key order. */
function canonical(v: unknown): string {
  return JSON.stringify(v, (_k, x: unknown) => (isObj(x) ? Object.fromEntries(Object.entries(x).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : x)) ?? 'undefined';
}

function propertyHash(key: string, value: unknown): string {
  return createHash('sha256').update(`${key}\0${canonical(value)}`).digest('hex').slice(0, 6);
}

/** A map-valued property's key set, as a unit of its own (an entry the spec dropped or never had). */
const keySet = (key: string): string => `${key}.*`;

/** Every unit of `applied` with its value (diffProps' granularity: a property, or a map entry). */
function units(applied: object): [string, unknown][] {
  return Object.entries(applied).flatMap(([k, v]): [string, unknown][] => (isObj(v)
    ? [[keySet(k), Object.keys(v).sort()], ...Object.entries(v).map(([sub, x]): [string, unknown] => [`${k}.${sub}`, x])]
    : [[k, v]]));
}

/**
 * Pure: the tag value recording `applied` (desired properties, refs resolved, in the shape the
 * kind's diff compares), or undefined when it would not fit in a tag value.
 */
export function appliedDigest(applied: object): string | undefined {
  const hashes = units(applied).map(([unit, v]) => propertyHash(unit, v)).sort();
  const value = [FORMAT, ...hashes].join(' ');
  return value.length <= MAX_TAG_VALUE ? value : undefined;
}

/**
 * The unit a field path belongs to and the desired value of that unit: the map entry for
 * tags.Name (map keys may hold dots: routes.0.0.0.0/0), judged by the map's key set when the spec
 * has no such entry; the property itself otherwise (managedPolicyArns[arn] → managedPolicyArns).
 */
function unitOf(path: string, applied: Map<string, unknown>): [string, unknown] {
  for (const [k, v] of applied) {
    if (!isObj(v) || !path.startsWith(`${k}.`)) continue;
    const sub = path.slice(k.length + 1);
    return sub in v ? [path, v[sub]] : [keySet(k), Object.keys(v).sort()];
  }
  const key = path.split(/[.[]/, 1)[0] ?? path;
  return [key, applied.get(key)];
}

/**
 * Pure: `diff` with each field's origin (DiffResult.origins), judged against the record platformd left on the object.
 * Without a readable record (created before platformd kept one) the fields get no origin, which
 * the plan reports as "unknown".
 */
export function withOrigins(diff: DiffResult, applied: object, recorded: string | undefined): DiffResult {
  const [format, ...hashes] = recorded?.split(' ') ?? [];
  if (format !== FORMAT || diff.fields.length === 0) return diff;
  const known = new Set(hashes);
  const props = new Map<string, unknown>(Object.entries(applied));
  const origins: Record<string, FieldOrigin> = {};
  for (const f of diff.fields) {
    const [unit, value] = unitOf(f.path, props);
    origins[f.path] = known.has(propertyHash(unit, value)) ? 'outside' : 'spec';
  }
  return { ...diff, origins };
}
