// Structural diffs of field values for the text plan (after Terraform's jsonformat renderer and
// CDK's cloudformation-diff): objects and lists rendered YAML-like with indentation, keyed lists
// diffed by key, lists of objects without a key (IAM statements) matched by content, unchanged
// parts elided with a count, and every changed path on a line of its own. Pure.

import { KNOWN_AFTER_APPLY } from './types.js';

type Json = unknown;
type Obj = Record<string, Json>;

/** How one rendered line reads: a marker (+ - ~ or space for context) and its text. */
export interface DiffLine {
  marker: '+' | '-' | '~' | ' ';
  depth: number;
  text: string;
}

const isObj = (v: Json): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);
const isContainer = (v: Json): v is Obj | Json[] => v !== null && typeof v === 'object';
const isScalar = (v: Json): boolean => !isContainer(v);

/** JSON with object keys sorted, for equality that ignores key order (the API server reorders). */
export function canonicalJson(v: Json): string {
  return JSON.stringify(v, (_k, x) => (isObj(x) ? Object.fromEntries(Object.entries(x).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : x)) ?? 'null';
}

const same = (a: Json, b: Json): boolean => canonicalJson(a) === canonicalJson(b);

/** A scalar as the plan shows it: strings quoted (so "1" and 1 differ visibly), null as (none). */
export function scalarText(v: Json): string {
  if (v === undefined || v === null) return '(none)';
  if (v === KNOWN_AFTER_APPLY) return v;
  if (typeof v === 'string') return JSON.stringify(v);
  if (isContainer(v) && Object.keys(v).length === 0) return Array.isArray(v) ? '[]' : '{}';
  return String(v);
}

/** `value` as YAML-like lines under `head` (a key, a list label or ''), all with one marker. */
export function valueLines(head: string, value: Json, marker: DiffLine['marker'], depth: number): DiffLine[] {
  const prefix = head ? `${head}:` : '';
  if (!isContainer(value) || Object.keys(value).length === 0) {
    return [{ marker, depth, text: prefix ? `${prefix} ${scalarText(value)}` : scalarText(value) }];
  }
  const out: DiffLine[] = prefix ? [{ marker, depth, text: prefix }] : [];
  const inner = prefix ? depth + 1 : depth;
  if (Array.isArray(value)) {
    for (const el of value) {
      if (!isContainer(el) || Object.keys(el).length === 0) {
        out.push({ marker, depth: inner, text: `- ${scalarText(el)}` });
        continue;
      }
      // YAML's "- key: value" with the element's other lines one level in.
      const lines = valueLines('', el, marker, inner + 1);
      out.push({ ...lines[0]!, depth: inner, text: `- ${lines[0]!.text}` }, ...lines.slice(1));
    }
    return out;
  }
  for (const [k, v] of Object.entries(value)) out.push(...valueLines(k, v, marker, inner));
  return out;
}

/** Fields whose values identify list elements, tried in order (Kubernetes list-map keys, IAM Sid). */
const KEY_FIELDS = ['name', 'path', 'Sid', 'id', 'key', 'host', 'containerPort', 'port', 'mountPath'];

/** The field that identifies every element of both lists uniquely, if there is one. */
function listKey(a: Json[], b: Json[]): string | undefined {
  const all = [...a, ...b];
  if (all.length === 0 || !all.every(isObj)) return undefined;
  return KEY_FIELDS.find((field) => [a, b].every((list) => {
    const values = list.map((el) => (el as Obj)[field]);
    return values.every((v) => v !== undefined && isScalar(v)) && new Set(values.map(String)).size === values.length;
  }));
}

const hidden = (n: number, what: string, depth: number): DiffLine[] =>
  (n > 0 ? [{ marker: ' ', depth, text: `# (${n} unchanged ${what}${n === 1 ? '' : 's'} hidden)` }] : []);

/** Lines for a change of `old` to `new` under `head`; nothing when they are equal. */
export function diffLines(head: string, old: Json, next: Json, depth: number): DiffLine[] {
  if (same(old, next)) return [];
  if (old === undefined || old === null) return valueLines(head, next, '+', depth);
  if (next === undefined || next === null) return valueLines(head, old, '-', depth);
  const prefix = head ? `${head}:` : '';
  if (isObj(old) && isObj(next)) return [...(prefix ? [{ marker: '~' as const, depth, text: prefix }] : []), ...diffObject(old, next, prefix ? depth + 1 : depth)];
  if (Array.isArray(old) && Array.isArray(next)) return [...(prefix ? [{ marker: '~' as const, depth, text: prefix }] : []), ...diffList(old, next, prefix ? depth + 1 : depth)];
  if (isScalar(old) && isScalar(next)) return [{ marker: '~', depth, text: `${prefix ? `${prefix} ` : ''}${scalarText(old)} → ${scalarText(next)}` }];
  // A value that changed shape (a string became a list): the old one goes, the new one comes.
  return [...valueLines(head, old, '-', depth), ...valueLines(head, next, '+', depth)];
}

function diffObject(old: Obj, next: Obj, depth: number): DiffLine[] {
  const keys = [...Object.keys(next), ...Object.keys(old).filter((k) => !(k in next))];
  const out: DiffLine[] = [];
  let unchanged = 0;
  for (const k of keys) {
    const lines = diffLines(k, old[k], next[k], depth);
    if (lines.length === 0) unchanged++;
    out.push(...lines);
  }
  return [...out, ...hidden(unchanged, 'attribute', depth)];
}

function diffList(old: Json[], next: Json[], depth: number): DiffLine[] {
  if ([...old, ...next].every(isScalar)) return diffScalarList(old, next, depth);
  const key = listKey(old, next);
  return key ? diffKeyedList(old as Obj[], next as Obj[], key, depth) : diffUnkeyedList(old, next, depth);
}

/** Scalar lists as sets (IAM actions, CIDRs); an order-only change says so on one line. */
function diffScalarList(old: Json[], next: Json[], depth: number): DiffLine[] {
  const had = new Set(old.map(canonicalJson));
  const has = new Set(next.map(canonicalJson));
  const out: DiffLine[] = [];
  for (const v of old) if (!has.has(canonicalJson(v))) out.push({ marker: '-', depth, text: `- ${scalarText(v)}` });
  for (const v of next) if (!had.has(canonicalJson(v))) out.push({ marker: '+', depth, text: `- ${scalarText(v)}` });
  if (out.length === 0) return [{ marker: '~', depth, text: `# order changed: ${next.map(scalarText).join(', ')}` }];
  return [...out, ...hidden(next.filter((v) => had.has(canonicalJson(v))).length, 'element', depth)];
}

function diffKeyedList(old: Obj[], next: Obj[], key: string, depth: number): DiffLine[] {
  const label = (el: Obj) => `[${key}=${scalarText(el[key])}]`;
  const byKey = new Map(old.map((el) => [String(el[key]), el]));
  const out: DiffLine[] = [];
  let unchanged = 0;
  for (const el of next) {
    const before = byKey.get(String(el[key]));
    if (before === undefined) out.push(...valueLines(label(el), el, '+', depth));
    else if (same(before, el)) unchanged++;
    else out.push(...diffLines(label(el), before, el, depth));
  }
  const kept = new Set(next.map((el) => String(el[key])));
  for (const el of old) if (!kept.has(String(el[key]))) out.push(...valueLines(label(el), el, '-', depth));
  return [...out, ...hidden(unchanged, 'element', depth)];
}

/**
 * How alike two elements are: per shared attribute 1 when equal, the overlap (Jaccard) of two
 * scalar lists (a statement's actions), and a half for sharing attribute names at all (objects of
 * one shape are worth showing as a change). 0 when nothing is shared.
 */
function likeness(a: Json, b: Json): number {
  if (!isObj(a) || !isObj(b)) return 0;
  const shared = Object.keys(a).filter((k) => k in b);
  let score = shared.length > 0 ? 0.5 : 0;
  for (const k of shared) {
    const [x, y] = [a[k], b[k]];
    if (same(x, y)) score += 1;
    else if (Array.isArray(x) && Array.isArray(y)) {
      const xs = new Set(x.map(canonicalJson));
      const both = y.filter((v) => xs.has(canonicalJson(v))).length;
      score += both / (xs.size + y.length - both || 1);
    }
  }
  return score;
}

/**
 * Lists of objects without a key (IAM statements without Sid): equal elements are unchanged
 * wherever they sit; each remaining new element is paired with the most alike remaining old one
 * (sharing at least an attribute name) and shown as a change inside it; the rest are added or removed.
 */
function diffUnkeyedList(old: Json[], next: Json[], depth: number): DiffLine[] {
  const leftOld = old.map((v, i) => ({ v, i }));
  const out: DiffLine[] = [];
  let unchanged = 0;
  const unmatched: { v: Json; i: number }[] = [];
  for (const [i, v] of next.entries()) {
    const at = leftOld.findIndex((o) => same(o.v, v));
    if (at >= 0) {
      leftOld.splice(at, 1);
      unchanged++;
    } else {
      unmatched.push({ v, i });
    }
  }
  // Pair the most alike first, so one element's best partner is not taken by a weaker match.
  const pairs = unmatched.flatMap((n) => leftOld.map((o) => ({ n, o, score: likeness(o.v, n.v) })))
    .filter((p) => p.score > 0).sort((x, y) => y.score - x.score);
  const paired = new Map<number, { v: Json; i: number }>();
  const taken = new Set<number>();
  for (const p of pairs) {
    if (paired.has(p.n.i) || taken.has(p.o.i)) continue;
    paired.set(p.n.i, p.o);
    taken.add(p.o.i);
  }
  for (const n of unmatched) {
    const o = paired.get(n.i);
    out.push(...(o ? diffLines(`[${n.i}]`, o.v, n.v, depth) : valueLines(`[${n.i}]`, n.v, '+', depth)));
  }
  for (const o of leftOld.filter((x) => !taken.has(x.i))) out.push(...valueLines(`[${o.i}]`, o.v, '-', depth));
  return [...out, ...hidden(unchanged, 'element', depth)];
}
