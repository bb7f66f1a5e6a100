// Server-side apply, reduced to what it means for a client: each field manager owns the leaf
// fields it applied; applying again sets those fields, removes the ones it no longer sends (if no
// one else owns them), and conflicts with other managers' differing values unless forced.
// Lists are atomic leaves (as "atomic" list types are in Kubernetes).

export type Json = any;

export function leafPaths(obj: Json, prefix = ''): Map<string, Json> {
  const out = new Map<string, Json>();
  if (obj === null || typeof obj !== 'object' || Array.isArray(obj)) {
    out.set(prefix, obj);
    return out;
  }
  const keys = Object.keys(obj);
  if (keys.length === 0 && prefix) out.set(prefix, {});
  for (const k of keys) for (const [p, v] of leafPaths(obj[k], `${prefix}/${k.replace(/~/g, '~0').replace(/\//g, '~1')}`)) out.set(p, v);
  return out;
}

function segs(path: string): string[] {
  return path.split('/').slice(1).map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

export function getPath(obj: Json, path: string): Json {
  let v = obj;
  for (const s of segs(path)) v = v?.[s];
  return v;
}

export function setPath(obj: Json, path: string, value: Json): void {
  const s = segs(path);
  let v = obj;
  for (const k of s.slice(0, -1)) {
    if (v[k] === null || typeof v[k] !== 'object' || Array.isArray(v[k])) v[k] = {};
    v = v[k];
  }
  v[s.at(-1)!] = structuredClone(value);
}

export function deletePath(obj: Json, path: string): void {
  const s = segs(path);
  const parents: Json[] = [];
  let v = obj;
  for (const k of s.slice(0, -1)) {
    if (!v || typeof v !== 'object') return;
    parents.push(v);
    v = v[k];
  }
  if (v && typeof v === 'object') delete v[s.at(-1)!];
  // Prune objects left empty by the removal.
  for (let i = s.length - 2; i >= 0; i--) {
    const parent = parents[i];
    const child = parent?.[s[i]!];
    if (child && typeof child === 'object' && !Array.isArray(child) && Object.keys(child).length === 0) delete parent[s[i]!];
    else break;
  }
}

export interface ManagedFields {
  manager: string;
  operation: 'Apply' | 'Update';
  paths: Set<string>;
  time: string;
}

export interface FieldConflict {
  manager: string;
  field: string;
}

/** Paths the apply machinery never treats as applied content. */
const IGNORED = [/^\/metadata\/(resourceVersion|uid|creationTimestamp|generation|managedFields|deletionTimestamp)/, /^\/status/, /^\/(apiVersion|kind)$/];

/**
 * Pure: the object after `manager` applies `config` to `current` (undefined when creating), the
 * new managed fields, or the conflicts that block it.
 */
export function serverSideApply(current: Json | undefined, managed: ManagedFields[], config: Json, manager: string, force: boolean):
  { object: Json; managed: ManagedFields[] } | { conflicts: FieldConflict[] } {
  const applied = new Map([...leafPaths(config)].filter(([p]) => !IGNORED.some((re) => re.test(p))));
  const base = current ? structuredClone(current) : {};
  const conflicts: FieldConflict[] = [];
  const others = managed.filter((m) => m.manager !== manager);
  for (const [path, value] of applied) {
    for (const m of others) {
      if (m.paths.has(path) && JSON.stringify(getPath(base, path)) !== JSON.stringify(value)) conflicts.push({ manager: m.manager, field: path });
    }
  }
  if (conflicts.length > 0 && !force) return { conflicts };
  const mine = managed.find((m) => m.manager === manager);
  for (const path of mine?.paths ?? []) {
    if (!applied.has(path) && !others.some((m) => m.paths.has(path))) deletePath(base, path);
  }
  for (const [path, value] of applied) setPath(base, path, value);
  const nextOthers = others.map((m) => ({ ...m, paths: force ? new Set([...m.paths].filter((p) => !applied.has(p))) : m.paths })).filter((m) => m.paths.size > 0);
  return { object: base, managed: [...nextOthers, { manager, operation: 'Apply', paths: new Set(applied.keys()), time: new Date().toISOString() }] };
}

/** Kubernetes' wire form of managed fields (fieldsV1 as nested "f:" keys). */
export function managedFieldsWire(managed: ManagedFields[], apiVersion: string): Json[] {
  return managed.map((m) => {
    const fields: Json = {};
    for (const p of m.paths) {
      let v = fields;
      for (const s of segs(p)) v = v[`f:${s}`] ??= {};
    }
    return { manager: m.manager, operation: m.operation, apiVersion, time: m.time, fieldsType: 'FieldsV1', fieldsV1: fields };
  });
}
