// One clock for every emulated state machine. Durations are written in real-AWS terms
// ("a cluster takes 10 minutes") and scaled, so a demo finishes in seconds and a test can make
// the same machine slow or instantaneous.

export interface ClockOptions {
  /** Real milliseconds per emulated millisecond: 1/60 turns 10 min into 10 s; 0 is instantaneous. */
  scale: number;
}

export class ScaledClock {
  constructor(public scale: number) {}

  static fromOptions(o: ClockOptions): ScaledClock {
    return new ScaledClock(o.scale);
  }

  now(): number {
    return Date.now();
  }

  /** Real milliseconds that an emulated duration takes. */
  real(emulatedMs: number): number {
    return Math.max(0, Math.round(emulatedMs * this.scale));
  }

  /**
   * A deadline `emulatedMs` from now, in wall-clock ms; state machines compare now() against it
   * when asked, so nothing needs a timer to advance.
   */
  deadline(emulatedMs: number): number {
    return this.now() + this.real(emulatedMs);
  }

  /** Whether a deadline made by deadline() has passed. */
  passed(deadline: number): boolean {
    return this.now() >= deadline;
  }

  /** Sleep for a scaled emulated duration (unref'd: never keeps the process alive). */
  sleep(emulatedMs: number): Promise<void> {
    const ms = this.real(emulatedMs);
    if (ms === 0) return Promise.resolve();
    return new Promise((resolve) => setTimeout(resolve, ms).unref());
  }
}
