// Answers that never change while the object they describe exists (a target group's tags as the
// load balancer controller set them at creation, an IAM policy version, an OIDC provider), kept in
// the process across reconciles so a no-op reconcile does not read them again (issue 19). Bounded
// (least recently used entries go first) and scoped to one SDK client object, so another account,
// endpoint or sandbox never sees them. Whoever deletes or replaces such an object drops its entry.

/** A bounded map, least recently used entry evicted first. */
export class LifetimeCache<V> {
  private readonly entries = new Map<string, V>();

  constructor(private readonly maxEntries: number) {}

  get(key: string): V | undefined {
    const value = this.entries.get(key);
    if (value !== undefined) {
      // Map keeps insertion order: re-inserting makes this the most recently used entry.
      this.entries.delete(key);
      this.entries.set(key, value);
    }
    return value;
  }

  set(key: string, value: V): void {
    this.entries.delete(key);
    this.entries.set(key, value);
    if (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
  }

  delete(key: string): void {
    this.entries.delete(key);
  }

  /** Drop every entry whose key starts with `prefix` (an object and all of its versions). */
  deletePrefix(prefix: string): void {
    for (const key of [...this.entries.keys()]) if (key.startsWith(prefix)) this.entries.delete(key);
  }

  get size(): number {
    return this.entries.size;
  }
}

/** One LifetimeCache per client object, made on first use and gone with the client. */
export function cachePerClient<V>(maxEntries: number): (client: object) => LifetimeCache<V> {
  const caches = new WeakMap<object, LifetimeCache<V>>();
  return (client) => {
    let cache = caches.get(client);
    if (!cache) caches.set(client, (cache = new LifetimeCache<V>(maxEntries)));
    return cache;
  };
}
