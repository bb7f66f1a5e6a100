// Pure input handling for the ELBv2 handlers: awsQuery delivers every scalar as a string and an
// explicitly empty list as '' (aws-wire-protocols.md §5); in-process callers (the emulated load
// balancer controller) pass real numbers and arrays. These helpers accept both and raise the
// errors ELBv2 raises for malformed input.
import { ServiceError } from '../../service.js';

/** A list member: undefined/'' → [], a lone value → [value]. */
export function list<T = any>(v: unknown): T[] {
  if (v === undefined || v === null || v === '') return [];
  return Array.isArray(v) ? (v as T[]) : [v as T];
}

export function num(v: unknown, name: string): number | undefined {
  if (v === undefined || v === null || v === '') return undefined;
  const n = typeof v === 'number' ? v : Number(v);
  if (!Number.isInteger(n)) throw validation(`${name}: '${String(v)}' is not an integer`);
  return n;
}

export function bool(v: unknown): boolean | undefined {
  if (v === undefined || v === null || v === '') return undefined;
  return v === true || v === 'true';
}

export function str(v: unknown): string | undefined {
  if (v === undefined || v === null || v === '') return undefined;
  return String(v);
}

/** A required string parameter; ELBv2 answers ValidationError when it is missing. */
export function required(v: unknown, name: string): string {
  const s = str(v);
  if (s === undefined) throw validation(`1 validation error detected: Value null at '${lowerFirst(name)}' failed to satisfy constraint: Member must not be null`);
  return s;
}

/** The generic awsQuery input-validation error (400). */
export function validation(message: string): ServiceError {
  return new ServiceError('ValidationError', message, 400);
}

function lowerFirst(s: string): string {
  return s.charAt(0).toLowerCase() + s.slice(1);
}

/** Tags input [{Key, Value}] → ordered pairs; DuplicateTagKeys when a key repeats in one call. */
export function tagsInput(v: unknown): [string, string][] {
  const seen = new Set<string>();
  const out: [string, string][] = [];
  for (const t of list<{ Key?: string; Value?: string }>(v)) {
    const key = required(t?.Key, 'Key');
    if (seen.has(key)) throw new ServiceError('DuplicateTagKeys', `Tag key '${key}' is duplicated`, 400);
    seen.add(key);
    out.push([key, t.Value ?? '']);
  }
  return out;
}

/** Maximum tags per ELBv2 resource. */
export const MAX_TAGS = 50;

/**
 * Marker/PageSize paging as ELBv2 does it: PageSize 1..400 (default 400), an opaque Marker,
 * NextMarker only when more remain.
 */
export function page<T>(items: T[], input: { Marker?: unknown; PageSize?: unknown }): { items: T[]; NextMarker?: string } {
  const size = num(input.PageSize, 'PageSize') ?? 400;
  if (size < 1 || size > 400) throw validation(`1 validation error detected: Value '${size}' at 'pageSize' failed to satisfy constraint: Member must have value between 1 and 400`);
  let start = 0;
  const marker = str(input.Marker);
  if (marker !== undefined) {
    const decoded = Number(Buffer.from(marker, 'base64').toString('utf8').replace(/^m:/, ''));
    if (!Number.isInteger(decoded) || decoded < 0) throw validation('Invalid marker');
    start = decoded;
  }
  const slice = items.slice(start, start + size);
  const next = start + size < items.length ? Buffer.from(`m:${start + size}`).toString('base64') : undefined;
  return next === undefined ? { items: slice } : { items: slice, NextMarker: next };
}
