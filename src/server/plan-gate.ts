// One plan at a time per platform, a short queue behind it, and 429 beyond: a plan reads every
// kind of the platform from AWS (dozens of calls), so unbounded /plan requests would spend the
// account's shared rate limits and starve the reconcile (200 concurrent GET /plan made 28k calls).
// A queued or running plan whose client has gone away is cancelled.

export class PlanBusy extends Error {
  constructor(readonly retryAfterSeconds: number) {
    super('a plan is already running and the queue is full; retry later');
    this.name = 'PlanBusy';
  }
}

export interface PlanGateOptions {
  /** Plans waiting behind the running one (default 4). */
  queue?: number;
  /** Retry-After when full (default 5 s). */
  retryAfterSeconds?: number;
}

export class PlanGate {
  private running = false;
  private readonly waiting: (() => void)[] = [];
  constructor(private readonly options: PlanGateOptions = {}) {}

  /** Run `plan` when its turn comes; throws PlanBusy when the queue is full, or the signal's reason when cancelled. */
  async run<T>(signal: AbortSignal, plan: (signal: AbortSignal) => Promise<T>): Promise<T> {
    if (this.running) {
      if (this.waiting.length >= (this.options.queue ?? 4)) throw new PlanBusy(this.options.retryAfterSeconds ?? 5);
      await new Promise<void>((resolve, reject) => {
        const turn = () => {
          signal.removeEventListener('abort', cancel);
          resolve();
        };
        const cancel = () => {
          this.waiting.splice(this.waiting.indexOf(turn), 1);
          reject(signal.reason);
        };
        this.waiting.push(turn);
        signal.addEventListener('abort', cancel, { once: true });
      });
      // The slot was handed over by the plan that finished: `running` stayed true.
    } else {
      this.running = true;
    }
    try {
      signal.throwIfAborted();
      return await plan(signal);
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.running = false;
    }
  }
}
