// JSON Patch (application/json-patch+json, RFC 6902: https://www.rfc-editor.org/rfc/rfc6902) as
// kube-apiserver applies it with github.com/evanphx/json-patch (handlers/patch.go jsonPatcher): the
// operations in order on a copy; a failed `test`, a missing path or a malformed operation refuses the
// whole patch (the API server answers 422 Invalid for an unappliable patch, 400 for an undecodable one).
import { KubeError } from './store.js';

type Json = unknown;
interface Operation { op: string; path: string; from?: string; value?: Json }

const isObj = (v: Json): v is Record<string, Json> => v !== null && typeof v === 'object' && !Array.isArray(v);
/** Key order does not matter to `test` (evanphx/json-patch compares decoded values). */
const canonical = (v: Json): string => JSON.stringify(v, (_k, x: Json) => (isObj(x) ? Object.fromEntries(Object.entries(x).sort(([a], [b]) => a.localeCompare(b))) : x)) ?? 'undefined';

/** RFC 6901 pointer → reference tokens. */
function tokens(pointer: string): string[] {
  if (pointer === '') return [];
  if (!pointer.startsWith('/')) throw new Error(`invalid JSON pointer ${JSON.stringify(pointer)}`);
  return pointer.slice(1).split('/').map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function parentOf(doc: Json, path: string): { parent: Json; key: string } {
  const ts = tokens(path);
  if (ts.length === 0) throw new Error('the root cannot be the target of this operation');
  let v = doc;
  for (const t of ts.slice(0, -1)) {
    v = Array.isArray(v) ? v[Number(t)] : isObj(v) ? v[t] : undefined;
    if (v === undefined) throw new Error(`doc is missing path: ${JSON.stringify(path)}`);
  }
  return { parent: v, key: ts.at(-1)! };
}

function get(doc: Json, path: string): Json {
  let v = doc;
  for (const t of tokens(path)) {
    v = Array.isArray(v) ? v[Number(t)] : isObj(v) ? v[t] : undefined;
    if (v === undefined) throw new Error(`doc is missing path: ${JSON.stringify(path)}`);
  }
  return v;
}

function add(doc: Json, path: string, value: Json): void {
  const { parent, key } = parentOf(doc, path);
  if (Array.isArray(parent)) {
    const i = key === '-' ? parent.length : Number(key);
    if (!Number.isInteger(i) || i < 0 || i > parent.length) throw new Error(`Unable to access invalid index: ${key}`);
    parent.splice(i, 0, structuredClone(value));
  } else if (isObj(parent)) parent[key] = structuredClone(value);
  else throw new Error(`doc is missing path: ${JSON.stringify(path)}`);
}

function remove(doc: Json, path: string): void {
  const { parent, key } = parentOf(doc, path);
  if (Array.isArray(parent)) {
    const i = Number(key);
    if (!Number.isInteger(i) || i < 0 || i >= parent.length) throw new Error(`Unable to remove nonexistent index: ${key}`);
    parent.splice(i, 1);
  } else if (isObj(parent) && key in parent) delete parent[key];
  else throw new Error(`Unable to remove nonexistent key: ${key}: missing value`);
}

/** `doc` after `patch` (the JSON text's parsed operations); `doc` itself is not changed. */
export function applyJsonPatch(doc: Json, patch: Json): Json {
  if (!Array.isArray(patch)) throw new KubeError(400, 'BadRequest', 'json: cannot unmarshal object into Go value of type jsonpatch.Patch');
  let out = structuredClone(doc);
  try {
    for (const raw of patch as Operation[]) {
      const { op, path, from, value } = raw ?? ({} as Operation);
      if (typeof path !== 'string') throw new Error(`missing path in operation ${JSON.stringify(raw)}`);
      switch (op) {
        case 'add': if (path === '') out = structuredClone(value); else add(out, path, value); break;
        case 'remove': remove(out, path); break;
        case 'replace': get(out, path); if (path === '') out = structuredClone(value); else { remove(out, path); add(out, path, value); } break;
        case 'move': { const v = get(out, from ?? ''); remove(out, from ?? ''); add(out, path, v); break; }
        case 'copy': add(out, path, get(out, from ?? '')); break;
        case 'test': if (canonical(get(out, path)) !== canonical(value)) throw new Error('testing value failed'); break;
        default: throw new Error(`Unexpected kind: ${String(op)}`);
      }
    }
  } catch (err) {
    if (err instanceof KubeError) throw err;
    const message = `the server rejected our request due to an error in our request: ${(err as Error).message}`;
    throw new KubeError(422, 'Invalid', message);
  }
  return out;
}
