// Drift = only what platformd owns, judged the way Argo CD's and Flux's server-side diffs judge it
// against a real API server: from platformd's own managedFields entry (fieldsV1) on the live object.
//
// - A field the manifest sets is compared with the live value; list elements are matched as the
//   server merges them (by the list-map keys recorded in fieldsV1, `k:{"name":"app"}`), so a
//   container another manager added, or a default the server filled inside an element, is not
//   compared at all.
// - A field platformd's entry records but the manifest no longer sets is drift (a removal): the next
//   apply drops it, as server-side apply does for fields a manager stops sending.
// - A field someone else forced away from platformd is no longer in its entry but still in the
//   manifest, so it is compared, and shows as drift on exactly its path.
// - Server defaults and other managers' fields are in neither: never drift, never reverted.
//
// Which side moved (DiffResult.origins), from the same managedFields: a differing field platformd
// still owns, or one the spec sets that no manager owns (the spec added it), changed in the spec;
// one another manager owns now (kubectl edit, kubectl scale, a forced apply: the API server moves
// ownership to whoever changes a field) was changed outside platformd.
// NOTE(removals by others): a field someone removed with an update is owned by no one afterwards,
// exactly like a field the spec just added, so it reads as a spec change: managedFields keep no
// trace of a removal.
//
// NOTE(atomic lists): elements of atomic lists (webhook rules, args, ...) are compared as a subset
// (the server adds defaults such as rules[].scope inside them), so a key platformd stops setting
// inside an atomic list element is not seen; the whole list is re-sent when anything else in it changes.
import type { DiffResult, FieldChange, FieldOrigin } from '../kind.js';
import { ANNOTATION_ID, LABEL_MANAGED_BY, LABEL_PLATFORM, MANAGER } from '../ownership.js';
import { compareText } from '../../compare-text.js';

type Json = unknown;
type Obj = Record<string, Json>;
/** Kubernetes' FieldsV1: nested `f:<field>`, `k:<json keys>`, `v:<json value>`, `i:<index>`, `.` keys. */
export type FieldsV1 = { [key: string]: FieldsV1 };

const isObj = (v: Json): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);

/** JSON with object keys sorted: the API server does not keep our key order. */
function canonical(v: Json): string {
  return JSON.stringify(v, (_k, x) => (isObj(x) ? Object.fromEntries(Object.entries(x).sort(([a], [b]) => compareText(a, b))) : x)) ?? 'undefined';
}

/** Labels and annotation platformd adds to every manifest when it applies it (owned()). */
const ADDED_ON_APPLY = new Set([`metadata.labels.${LABEL_MANAGED_BY}`, `metadata.labels.${LABEL_PLATFORM}`, `metadata.annotations.${ANNOTATION_ID}`]);

function mergeFields(a: FieldsV1, b: FieldsV1): FieldsV1 {
  const out: FieldsV1 = { ...a };
  for (const [k, v] of Object.entries(b)) out[k] = out[k] ? mergeFields(out[k], v) : v;
  return out;
}

/** The fields of the managedFields entries `mine` selects, merged (undefined when there are none). */
function managedBy(live: Obj, mine: (entry: Obj) => boolean): FieldsV1 | undefined {
  const metadata = isObj(live.metadata) ? live.metadata : {};
  const entries = Array.isArray(metadata.managedFields) ? metadata.managedFields : [];
  let out: FieldsV1 | undefined;
  for (const m of entries) {
    if (!isObj(m) || !mine(m) || !isObj(m.fieldsV1)) continue;
    out = mergeFields(out ?? {}, m.fieldsV1 as FieldsV1);
  }
  return out;
}

/** The fields `manager` applied to `live`, from its managedFields (undefined when it never applied). */
export function appliedFields(live: Obj, manager = MANAGER): FieldsV1 | undefined {
  return managedBy(live, (m) => m.manager === manager && m.operation === 'Apply');
}

/** Where the diff walks: platformd's fields and every other manager's at the same point (either may be undefined). */
interface Owners { mine: FieldsV1 | undefined; others: FieldsV1 | undefined }

const below = (o: Owners, key: string): Owners => ({ mine: o.mine?.[key], others: o.others?.[key] });

/** The changes found so far and which side moved for each. */
interface Found { fields: FieldChange[]; origins: Record<string, FieldOrigin> }

function report(out: Found, change: FieldChange, owners: Owners): void {
  out.fields.push(change);
  out.origins[change.path] = owners.mine === undefined && owners.others !== undefined ? 'outside' : 'spec';
}

/** Pure: `want` is contained in `have` (objects by their keys, lists element by element). */
function contained(want: Json, have: Json): boolean {
  if (isObj(want)) return isObj(have) && Object.entries(want).every(([k, v]) => contained(v, have[k]));
  if (Array.isArray(want)) return Array.isArray(have) && have.length === want.length && want.every((w, i) => contained(w, have[i]));
  return canonical(want) === canonical(have);
}

const join = (path: string, key: string): string => (path ? `${path}.${key}` : key);

/** Does list element `el` carry the key values of `key` (fields `el` leaves out match anything)? */
function matchesKey(el: Json, key: Obj): boolean {
  return isObj(el) && Object.entries(key).every(([n, v]) => el[n] === undefined || canonical(el[n]) === canonical(v));
}

function diffList(path: string, want: Json[], have: Json, owners: Owners, out: Found): void {
  const owned = owners.mine;
  if (!Array.isArray(have)) {
    report(out, { path, old: have ?? null, new: want }, owners);
    return;
  }
  const keyed = Object.keys(owned ?? {}).filter((k) => k.startsWith('k:')).map((k) => ({ entry: k, key: JSON.parse(k.slice(2)) as Obj }));
  if (keyed.length === 0) {
    // Atomic list, a set, or one platformd never applied: every element as a subset, in order.
    if (!contained(want, have)) report(out, { path, old: have, new: want }, owners);
    return;
  }
  const othersEntry = (live: Json): FieldsV1 | undefined => {
    const entry = Object.keys(owners.others ?? {}).find((k) => k.startsWith('k:') && matchesKey(live, JSON.parse(k.slice(2)) as Obj));
    return entry ? owners.others![entry] : undefined;
  };
  const keyNames = Object.keys(keyed[0]!.key);
  const label = (el: Json): string => `${path}[${keyNames.map((n) => (isObj(el) ? el[n] : undefined)).filter((v) => v !== undefined).join(',')}]`;
  for (const w of want) {
    const live = have.find((h) => isObj(h) && matchesKey(w, Object.fromEntries(keyNames.map((n) => [n, h[n]]))));
    if (live === undefined) {
      report(out, { path: label(w), old: null, new: w }, { mine: undefined, others: undefined });
      continue;
    }
    const entry = keyed.find((k) => matchesKey(live, k.key) && matchesKey(w, k.key))?.entry;
    diffValue(label(w), w, live, { mine: entry ? owned![entry] : undefined, others: othersEntry(live) }, out);
  }
  for (const { entry, key } of keyed) {
    if (want.some((w) => matchesKey(w, key))) continue;
    const live = have.find((h) => matchesKey(h, key));
    if (live !== undefined) report(out, { path: label(live), old: live, new: null }, { mine: owned![entry], others: undefined });
  }
}

function diffValue(path: string, want: Json, have: Json, owners: Owners, out: Found): void {
  if (Array.isArray(want)) return diffList(path, want, have, owners, out);
  if (!isObj(want)) {
    if (canonical(want) !== canonical(have)) report(out, { path, old: have ?? null, new: want }, owners);
    return;
  }
  if (!isObj(have)) {
    report(out, { path, old: have ?? null, new: want }, owners);
    return;
  }
  for (const [k, v] of Object.entries(want)) diffValue(join(path, k), v, have[k], below(owners, `f:${k}`), out);
  for (const entry of Object.keys(owners.mine ?? {})) {
    if (!entry.startsWith('f:')) continue;
    const k = entry.slice(2);
    const p = join(path, k);
    if (k in want || have[k] === undefined) continue;
    if (!path && ['apiVersion', 'kind', 'status'].includes(k)) continue;
    report(out, { path: p, old: have[k], new: null }, { mine: owners.mine![entry], others: undefined });
  }
}

/** `desired` with the ownership labels and id annotation that apply adds, at their live values. */
function withAddedOnApply(desired: Obj, live: Obj): Obj {
  const meta = isObj(desired.metadata) ? desired.metadata : {};
  const liveMeta = isObj(live.metadata) ? live.metadata : {};
  const added = (field: 'labels' | 'annotations'): Obj => {
    const have = isObj(liveMeta[field]) ? liveMeta[field] : {};
    const mine = Object.entries(have).filter(([k]) => ADDED_ON_APPLY.has(`metadata.${field}.${k}`));
    return { ...Object.fromEntries(mine), ...(isObj(meta[field]) ? meta[field] : {}) };
  };
  const labels = added('labels');
  const annotations = added('annotations');
  return { ...desired, metadata: { ...meta, ...(Object.keys(labels).length ? { labels } : {}), ...(Object.keys(annotations).length ? { annotations } : {}) } };
}

/**
 * Pure: the changes an apply of `desired` by platformd would make to `live` — fields it sets that
 * differ, fields it applied before and no longer sets — and nothing else, each with which side moved.
 */
export function diffOwned(desired: Obj, live: Obj, manager = MANAGER): DiffResult {
  const { apiVersion: _a, kind: _k, ...want } = withAddedOnApply(desired, live);
  const out: Found = { fields: [], origins: {} };
  const others = managedBy(live, (m) => m.manager !== manager);
  diffValue('', want, live, { mine: appliedFields(live, manager), others }, out);
  return { fields: out.fields, replaces: [], ...(out.fields.length > 0 ? { origins: out.origins } : {}) };
}
