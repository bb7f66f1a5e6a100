// Lists a long-running daemon keeps current by watching, the way Kubernetes controllers use
// informers (list once, then watch from the list's resourceVersion): a no-op reconcile reads the
// kinds platformd manages from memory instead of listing each one again (issue 19: the no-op
// reconcile's calls). client-node's Watch does the streaming; this file decides when a copy can
// be trusted:
// - after a list, once its watch is open, until the watch ends with an error or an ERROR event
//   (410 Expired: the server's history no longer reaches our version) — then the next read lists;
// - a watch the server ends normally (its timeout) is resumed from the last version seen;
// - a write platformd makes to a kind (written()) makes the next read list that kind again, so a
//   plan after an apply never depends on how fast the watch delivered our own writes.
// Only the daemon watches (one-shot commands list, and exit without open connections).
import { Watch, type KubeConfig, type KubernetesObject } from '@kubernetes/client-node';
import { recordApiCall } from './api-calls.js';

/** A collection platformd lists: by kind, optionally narrowed by a label selector. */
export interface Collection {
  apiVersion: string;
  kind: string;
  /** The resource's plural (its URL path segment). */
  plural: string;
  labelSelector?: string;
}

/** What a list answered: items in wire form (as JSON on the wire) and the list's resourceVersion. */
export interface Listed {
  items: KubernetesObject[];
  resourceVersion: string;
}

interface Copy {
  items: Map<string, KubernetesObject>;
  resourceVersion: string;
  /** The watch is open and no write of ours is unseen: reads can be answered from items. */
  current: boolean;
  stop?: () => void;
}

const keyOf = (c: Collection) => `${c.apiVersion}|${c.kind}|${c.labelSelector ?? ''}`;
const nameOf = (o: KubernetesObject) => `${o.metadata?.namespace ?? ''}/${o.metadata?.name ?? ''}`;

/** `/api/v1/<plural>` or `/apis/<group>/<version>/<plural>`: every namespace. */
export function collectionPath(c: Collection): string {
  return c.apiVersion.includes('/') ? `/apis/${c.apiVersion}/${c.plural}` : `/api/${c.apiVersion}/${c.plural}`;
}

export class WatchedLists {
  private readonly copies = new Map<string, Copy>();
  /** Writes of ours by kind, so a write during a list is not taken as seen by that list. */
  private readonly writes = new Map<string, number>();
  private closed = false;

  /** `kubeConfig` answers the current authenticated config (a token that has not expired). */
  constructor(private readonly kubeConfig: () => Promise<KubeConfig>) {}

  /** The collection's items: from the watched copy when it is current, else `listNow()` (then watched). */
  async list(collection: Collection, listNow: () => Promise<Listed>): Promise<KubernetesObject[]> {
    const key = keyOf(collection);
    const known = this.copies.get(key);
    // A copy: callers may change what they are given.
    if (known?.current) return [...known.items.values()].map((o) => structuredClone(o));
    known?.stop?.();
    const kindKey = `${collection.apiVersion}|${collection.kind}`;
    const writesBefore = this.writes.get(kindKey) ?? 0;
    const listed = await listNow();
    const copy: Copy = { items: new Map(listed.items.map((o) => [nameOf(o), structuredClone(o)])), resourceVersion: listed.resourceVersion, current: false };
    this.copies.set(key, copy);
    // A watch that does not open leaves the copy not current: the next read lists again.
    if (!this.closed && listed.resourceVersion) await this.watch(collection, copy).catch(() => undefined);
    // A write of ours while the list was on its way may be missing from it: list again next time.
    if ((this.writes.get(kindKey) ?? 0) !== writesBefore) copy.current = false;
    return listed.items;
  }

  /** platformd wrote an object of this kind: the next read lists it again. */
  written(apiVersion: string, kind: string): void {
    this.writes.set(`${apiVersion}|${kind}`, (this.writes.get(`${apiVersion}|${kind}`) ?? 0) + 1);
    for (const [key, copy] of this.copies) if (key.startsWith(`${apiVersion}|${kind}|`)) copy.current = false;
  }

  /** Stop every watch (the daemon is stopping); later reads list. */
  close(): void {
    this.closed = true;
    for (const copy of this.copies.values()) {
      copy.current = false;
      copy.stop?.();
    }
    this.copies.clear();
  }

  /** How many collections are answered from memory now (tests read it). */
  get currentCount(): number {
    return [...this.copies.values()].filter((c) => c.current).length;
  }

  private async watch(collection: Collection, copy: Copy): Promise<void> {
    const key = keyOf(collection);
    const started = performance.now();
    let ended = false;
    const controller = await new Watch(await this.kubeConfig()).watch(collectionPath(collection),
      { resourceVersion: copy.resourceVersion, allowWatchBookmarks: true, ...(collection.labelSelector ? { labelSelector: collection.labelSelector } : {}) },
      (type: string, object: KubernetesObject) => {
        if (type === 'ERROR') {
          // 410 Expired (our version fell out of the server's history) or another failure.
          copy.current = false;
          return;
        }
        if (type === 'ADDED' || type === 'MODIFIED') copy.items.set(nameOf(object), object);
        else if (type === 'DELETED') copy.items.delete(nameOf(object));
        if (object.metadata?.resourceVersion) copy.resourceVersion = object.metadata.resourceVersion;
      },
      (err: unknown) => {
        ended = true;
        const resume = copy.current && !err && !this.closed && this.copies.get(key) === copy;
        copy.current = false;
        // The server ended the stream (its request timeout): carry on from the last version seen.
        if (resume) void this.watch(collection, copy).catch(() => undefined);
      });
    copy.stop = () => controller.abort();
    recordApiCall({ service: 'kubernetes', operation: `watch ${collection.kind}`, outcome: ended ? 'error' : 'success', durationMs: performance.now() - started });
    if (!ended && !this.closed) copy.current = true;
  }
}
