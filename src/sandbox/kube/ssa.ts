// Server-side apply as structured-merge-diff does it (sigs.k8s.io/structured-merge-diff/v4:
// fieldpath/, merge/update.go; https://kubernetes.io/docs/reference/using-api/server-side-apply/):
// each field manager owns a set of field paths (fieldsV1: `f:<field>`, `k:<list-map key>`,
// `v:<set value>`); applying sets the applied fields, merges lists by their type (list-map by
// keys, set, atomic: list-types.ts), removes the fields the manager applied before and no longer
// sends unless another manager owns them, and conflicts with other managers' differing values
// unless forced (then ownership of those fields moves to the applier).
import { KEY_DEFAULTS, type ListType } from './list-types.js';

export type Json = any;
/** The list type at a dotted field path (list elements add no segment). */
export type ListTypeAt = (path: string) => ListType;

export interface ManagedFields {
  manager: string;
  operation: 'Apply' | 'Update';
  /** JSON-encoded field paths (arrays of fieldsV1 path elements); never changed in place. */
  paths: ReadonlySet<string>;
  time: string;
}

export interface FieldConflict {
  manager: string;
  /** As structured-merge-diff prints it: .spec.template.spec.containers[name="app"].image */
  field: string;
}

interface FieldEntry { path: string[]; value: Json; leaf: boolean }

const isObj = (v: Json): v is Record<string, Json> => v !== null && typeof v === 'object' && !Array.isArray(v);
const canonical = (v: Json): string => JSON.stringify(v, (_k, x) => (isObj(x) ? Object.fromEntries(Object.entries(x).sort(([a], [b]) => a.localeCompare(b))) : x)) ?? 'undefined';
const join = (a: string, b: string): string => (a ? `${a}.${b}` : b);

/** Fields the apply machinery never treats as applied content. */
const SYSTEM_METADATA = ['resourceVersion', 'uid', 'creationTimestamp', 'generation', 'managedFields', 'deletionTimestamp', 'selfLink'];

/** `config` without what no manager owns (apiVersion, kind, status, system metadata). */
function appliedContent(config: Json): Json {
  const { apiVersion: _a, kind: _k, status: _s, ...rest } = config ?? {};
  if (isObj(rest.metadata)) rest.metadata = Object.fromEntries(Object.entries(rest.metadata).filter(([k]) => !SYSTEM_METADATA.includes(k)));
  return rest;
}

/** The key path element of a list-map element: k:{"name":"app"} (key fields sorted, defaults filled). */
function keyElement(el: Json, keys: string[]): string {
  const key = Object.fromEntries([...keys].sort().map((k) => [k, el?.[k] ?? KEY_DEFAULTS[k]]).filter(([, v]) => v !== undefined));
  return `k:${JSON.stringify(key)}`;
}

function matchesKey(el: Json, key: Record<string, Json>): boolean {
  return isObj(el) && Object.entries(key).every(([k, v]) => canonical(el[k] ?? KEY_DEFAULTS[k]) === canonical(v));
}

/** Every field path of `obj` with its value: leaves, list-map elements (non-leaf), set values. */
export function fieldSet(obj: Json, listTypeAt: ListTypeAt): Map<string, FieldEntry> {
  const out = new Map<string, FieldEntry>();
  const add = (path: string[], value: Json, leaf: boolean) => out.set(JSON.stringify(path), { path, value, leaf });
  const walk = (v: Json, path: string[], typePath: string): void => {
    if (isObj(v)) {
      const keys = Object.keys(v);
      if (keys.length === 0 && path.length) add(path, {}, true);
      for (const k of keys) walk(v[k], [...path, `f:${k}`], join(typePath, k));
    } else if (Array.isArray(v)) {
      const lt = listTypeAt(typePath);
      if (lt === 'atomic' || v.length === 0) return void add(path, v, true);
      if (lt === 'set') return void v.forEach((x) => add([...path, `v:${JSON.stringify(x)}`], x, true));
      for (const el of v) {
        const p = [...path, keyElement(el, lt.keys)];
        add(p, el, false);
        if (isObj(el)) for (const k of Object.keys(el)) walk(el[k], [...p, `f:${k}`], join(typePath, k));
      }
    } else {
      add(path, v, true);
    }
  };
  walk(appliedContent(obj), [], '');
  return out;
}

/** The value at a field path ('undefined' when absent). */
function getAt(obj: Json, path: string[]): Json {
  let v = obj;
  for (const el of path) {
    if (el.startsWith('f:')) v = isObj(v) ? v[el.slice(2)] : undefined;
    else if (el.startsWith('k:')) v = Array.isArray(v) ? v.find((x) => matchesKey(x, JSON.parse(el.slice(2)))) : undefined;
    else if (el.startsWith('v:')) v = Array.isArray(v) ? v.find((x) => canonical(x) === canonical(JSON.parse(el.slice(2)))) : undefined;
    if (v === undefined) return undefined;
  }
  return v;
}

/** Removes the field at `path` and the maps and lists its removal leaves empty. */
function removeAt(obj: Json, path: string[]): void {
  const parents: Json[] = [];
  let v = obj;
  for (const el of path.slice(0, -1)) {
    parents.push(v);
    v = getAt(v, [el]);
    if (v === undefined) return;
  }
  const last = path.at(-1)!;
  if (last.startsWith('f:') && isObj(v)) delete v[last.slice(2)];
  else if (Array.isArray(v)) {
    const i = v.findIndex((x) => (last.startsWith('k:') ? matchesKey(x, JSON.parse(last.slice(2))) : canonical(x) === canonical(JSON.parse(last.slice(2)))));
    if (i >= 0) v.splice(i, 1);
  }
  for (let i = path.length - 2; i >= 0; i--) {
    const el = path[i]!;
    const child = getAt(parents[i], [el]);
    const empty = (isObj(child) && Object.keys(child).length === 0) || (Array.isArray(child) && child.length === 0);
    if (!empty || !el.startsWith('f:')) break;
    delete parents[i][el.slice(2)];
  }
}

/** `config` merged into `live`: maps by key, list-maps by element key, sets by value, the rest replaced. */
function merge(live: Json, config: Json, typePath: string, listTypeAt: ListTypeAt): Json {
  if (isObj(config)) {
    const out: Record<string, Json> = isObj(live) ? { ...live } : {};
    for (const [k, v] of Object.entries(config)) out[k] = merge(out[k], v, join(typePath, k), listTypeAt);
    return out;
  }
  if (!Array.isArray(config) || !Array.isArray(live)) return structuredClone(config);
  const lt = listTypeAt(typePath);
  if (lt === 'atomic') return structuredClone(config);
  const out = [...live];
  for (const el of config) {
    const i = lt === 'set' ? out.findIndex((x) => canonical(x) === canonical(el)) : out.findIndex((x) => matchesKey(x, JSON.parse(keyElement(el, lt.keys).slice(2))));
    if (i < 0) out.push(structuredClone(el));
    else if (lt !== 'set') out[i] = merge(out[i], el, typePath, listTypeAt);
  }
  return out;
}

/** How structured-merge-diff prints a path: .spec.containers[name="app"].image */
function renderPath(path: string[]): string {
  return path.map((el) => {
    if (el.startsWith('f:')) return `.${el.slice(2)}`;
    if (el.startsWith('v:')) return `[=${el.slice(2)}]`;
    return `[${Object.entries(JSON.parse(el.slice(2)) as Record<string, Json>).map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(',')}]`;
  }).join('');
}

const ownsAtOrBelow = (m: ManagedFields, key: string): boolean => {
  const prefix = `${key.slice(0, -1)},`;
  return [...m.paths].some((p) => p === key || p.startsWith(prefix));
};

/**
 * Pure: the object after `manager` applies `config` to `current` (undefined when creating) and the
 * new managed fields, or the conflicts that block it.
 */
export function serverSideApply(current: Json | undefined, managed: ManagedFields[], config: Json, manager: string, force: boolean, listTypeAt: ListTypeAt):
  { object: Json; managed: ManagedFields[] } | { conflicts: FieldConflict[] } {
  const applied = fieldSet(config, listTypeAt);
  const base = current ? structuredClone(current) : {};
  const others = managed.filter((m) => !(m.manager === manager && m.operation === 'Apply'));
  const conflicts: (FieldConflict & { key: string })[] = [];
  for (const [key, e] of applied) {
    if (!e.leaf) continue;
    for (const m of others) {
      if (m.manager !== manager && m.paths.has(key) && canonical(getAt(base, e.path)) !== canonical(e.value)) conflicts.push({ manager: m.manager, field: renderPath(e.path), key });
    }
  }
  if (conflicts.length > 0 && !force) return { conflicts: conflicts.map(({ manager: m, field }) => ({ manager: m, field })) };
  const mine = managed.find((m) => m.manager === manager && m.operation === 'Apply');
  const dropped = [...(mine?.paths ?? [])].filter((k) => !applied.has(k) && !others.some((m) => ownsAtOrBelow(m, k)));
  // Shallowest first, skipping what an already removed element or map took with it (a list-map
  // element goes whole: removing its key fields one by one would leave an unmatchable husk).
  const removed: string[] = [];
  for (const key of dropped.sort((a, b) => a.length - b.length)) {
    if (removed.some((r) => key.startsWith(`${r.slice(0, -1)},`))) continue;
    removeAt(base, JSON.parse(key));
    removed.push(key);
  }
  const object = merge(base, appliedContent(config), '', listTypeAt);
  const lost = new Set(conflicts.map((c) => c.key));
  const nextOthers = others.map((m) => ({ ...m, paths: new Set([...m.paths].filter((p) => !lost.has(p))) })).filter((m) => m.paths.size > 0);
  return { object, managed: [...nextOthers, { manager, operation: 'Apply', paths: new Set(applied.keys()), time: new Date().toISOString().replace(/\.\d+Z$/, 'Z') }] };
}

/**
 * Pure: the managed fields after `manager` writes `after` over `before` with an update (POST,
 * PUT, PATCH: anything but apply), as structured-merge-diff's Updater.Update does
 * (merge/update.go): the fields it added or modified move to its Update entry, taken from every
 * other entry (an update is always forced, so it never conflicts), and the fields it removed leave
 * every entry. Fields it left alone stay with whoever owned them; an entry left empty goes.
 */
export function recordUpdate(before: Json, after: Json, managed: ManagedFields[], manager: string, listTypeAt: ListTypeAt): ManagedFields[] {
  const was = fieldSet(before, listTypeAt);
  const now = fieldSet(after, listTypeAt);
  const changed = new Set([...now].filter(([k, e]) => !was.has(k) || (e.leaf && canonical(was.get(k)!.value) !== canonical(e.value))).map(([k]) => k));
  const removed = new Set([...was.keys()].filter((k) => !now.has(k)));
  if (changed.size === 0 && removed.size === 0) return managed;
  const isMine = (m: ManagedFields) => m.manager === manager && m.operation === 'Update';
  const keep = (paths: Iterable<string>) => new Set([...paths].filter((k) => !changed.has(k) && !removed.has(k)));
  const others = managed.filter((m) => !isMine(m)).map((m) => ({ ...m, paths: keep(m.paths) })).filter((m) => m.paths.size > 0);
  const mine = new Set([...(managed.find(isMine)?.paths ?? []), ...changed].filter((k) => !removed.has(k)));
  const time = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
  return [...others, ...(mine.size > 0 ? [{ manager, operation: 'Update' as const, paths: mine, time }] : [])];
}

/**
 * fieldsV1 of each paths set, built once: parsing every path of every manager on every read made
 * the sandbox's reads O(fields) each (issue 19). Safe because a ManagedFields' paths are never
 * changed in place (every write builds new sets; `ReadonlySet` above keeps it so).
 */
const fieldsV1Of = new WeakMap<ReadonlySet<string>, Json>();

function fieldsV1(paths: ReadonlySet<string>): Json {
  const cached = fieldsV1Of.get(paths);
  if (cached) return cached;
  const fields: Json = {};
  const nodes: Json[] = [];
  for (const p of paths) {
    let v = fields;
    for (const el of JSON.parse(p) as string[]) v = v[el] ??= {};
    nodes.push(v);
  }
  for (const n of nodes) if (Object.keys(n).some((k) => k !== '.')) n['.'] = {};
  fieldsV1Of.set(paths, fields);
  return fields;
}

/** Kubernetes' wire form of managed fields (fieldsV1: nested path elements, "." for a node owned itself). */
export function managedFieldsWire(managed: ManagedFields[], apiVersion: string): Json[] {
  return managed.map((m) => ({ manager: m.manager, operation: m.operation, apiVersion, time: m.time, fieldsType: 'FieldsV1', fieldsV1: structuredClone(fieldsV1(m.paths)) }));
}
