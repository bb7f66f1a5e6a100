// What platformd last applied to an AWS resource, recorded on the resource itself so that a
// stateless plan can tell "the spec changed" from "someone changed the live object": a tag whose
// value holds one short hash per top-level property of the desired properties platformd applied
// (refs resolved). A field that differs while the recorded hash of its property equals the hash of
// the desired value was changed outside platformd; one whose property hash differs changed in the spec.
//
// NOTE(one hash per property): a single hash of everything could only say "something in the spec
// changed"; per-property hashes say which fields, so one plan can hold both kinds (origin "both").
// A field whose property changed in the spec and was also changed live reads as "spec": the spec
// wins either way, and the hash cannot say what the live value was.
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

/**
 * Pure: the tag value recording `applied` (desired properties, refs resolved, in the shape the
 * kind's diff compares), or undefined when it would not fit in a tag value.
 */
export function appliedDigest(applied: object): string | undefined {
  const hashes = Object.entries(applied).map(([k, v]) => propertyHash(k, v)).sort();
  const value = [FORMAT, ...hashes].join(' ');
  return value.length <= MAX_TAG_VALUE ? value : undefined;
}

/** The property a field path belongs to: `tags` for tags.Name, `routes` for routes.0.0.0.0/0. */
function propertyOf(path: string): string {
  return path.split(/[.[]/, 1)[0] ?? path;
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
    const key = propertyOf(f.path);
    origins[f.path] = known.has(propertyHash(key, props.get(key))) ? 'outside' : 'spec';
  }
  return { ...diff, origins };
}
