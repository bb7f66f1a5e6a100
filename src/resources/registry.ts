// Every resource kind, listed once, with the layer it belongs to. The engine observes only the
// kinds of the layers a run covers, so a network-only run never plans deletions elsewhere.
import { ErrorCodes, PlatformdError } from '../errors.js';
import { eraseKind, type AnyKind, type TypedKind } from './kind.js';

export type LayerName = 'network' | 'iam' | 'eks' | 'kube' | 'edge';

export const LAYER_ORDER: LayerName[] = ['network', 'iam', 'eks', 'kube', 'edge'];

export interface RegisteredKind {
  layer: LayerName;
  kind: AnyKind;
}

const kinds = new Map<string, RegisteredKind>();

/** Register a kind under its layer (called from resources/all.ts, once per kind). */
export function registerKind<P, S>(layer: LayerName, kind: TypedKind<P, S>): void {
  if (kinds.has(kind.kind)) throw new Error(`resource kind ${kind.kind} registered twice`);
  kinds.set(kind.kind, { layer, kind: eraseKind(kind) });
}

export function getKind(name: string): AnyKind {
  const k = kinds.get(name);
  if (!k) throw new PlatformdError(ErrorCodes.KIND_UNKNOWN, `unknown resource kind ${name}`);
  return k.kind;
}

export function kindsOf(layers: readonly LayerName[]): RegisteredKind[] {
  return [...kinds.values()].filter((k) => layers.includes(k.layer));
}

export function allKinds(): RegisteredKind[] {
  return [...kinds.values()];
}
