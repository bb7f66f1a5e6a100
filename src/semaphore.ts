// Bounded concurrency (the platforms of a fleet; ELBv2 reads of one process): at most `limit` holders at once, the
// others queued in arrival order. A waiter is never dropped; each run releases its slot when done.

export class Semaphore {
  private active = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(readonly limit: number) {
    if (!(limit >= 1)) throw new RangeError('a semaphore needs a limit of at least 1');
  }

  /** Run `fn` once a slot is free; the slot is released however `fn` ends. A waiter whose `signal` aborts leaves the queue and rejects. */
  async run<T>(fn: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    signal?.throwIfAborted();
    if (this.active >= this.limit) {
      await new Promise<void>((resolve, reject) => {
        const onAbort = () => {
          const i = this.waiting.indexOf(go);
          if (i >= 0) this.waiting.splice(i, 1);
          reject(signal!.reason);
        };
        const go = () => { signal?.removeEventListener('abort', onAbort); resolve(); };
        this.waiting.push(go);
        signal?.addEventListener('abort', onAbort, { once: true });
      });
    } else {
      this.active++;
    }
    try {
      return await fn();
    } finally {
      const next = this.waiting.shift();
      if (next) next(); // the slot passes straight to the next waiter
      else this.active--;
    }
  }

  /** Holders now (for status and tests). */
  get inUse(): number {
    return this.active;
  }
}
