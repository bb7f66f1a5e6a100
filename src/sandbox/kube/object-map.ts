// The API server's storage of one cluster: objects by key, indexed by resource (store.ts).
import type { KubeObject } from './store.js';
import type { ManagedFields } from './ssa.js';

/** One stored object and its field managers. */
export interface Entry { object: KubeObject; managed: ManagedFields[] }

/**
 * The stored objects by key (`group|plural|namespace|name`), and by resource so that a list reads
 * only its own kind (not every Pod and Event of the cluster), with its keys kept in list order.
 */
export class ObjectMap extends Map<string, Entry> {
  private readonly byResource = new Map<string, { entries: Map<string, Entry>; sorted?: string[] }>();

  private static resourceOf(key: string): string {
    return key.slice(0, key.indexOf('|', key.indexOf('|') + 1) + 1);
  }

  override set(key: string, entry: Entry): this {
    super.set(key, entry);
    const prefix = ObjectMap.resourceOf(key);
    let r = this.byResource.get(prefix);
    if (!r) this.byResource.set(prefix, r = { entries: new Map() });
    if (!r.entries.has(key)) r.sorted = undefined;
    r.entries.set(key, entry);
    return this;
  }

  override delete(key: string): boolean {
    const r = this.byResource.get(ObjectMap.resourceOf(key));
    if (r?.entries.delete(key)) r.sorted = undefined;
    return super.delete(key);
  }

  /** The entries of one resource (`group|plural|`) in the API server's list order. */
  ofResource(prefix: string): Entry[] {
    const r = this.byResource.get(prefix);
    if (!r) return [];
    r.sorted ??= [...r.entries.keys()].sort((a, b) => a.localeCompare(b));
    return r.sorted.map((k) => r.entries.get(k)!);
  }
}
