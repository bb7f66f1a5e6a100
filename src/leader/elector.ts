// Leader election on one coordination.k8s.io/v1 Lease, as client-go's LeaderElector does it
// (k8s.io/client-go/tools/leaderelection/leaderelection.go): acquire when the Lease is free or
// its holder has not renewed for leaseDuration, renew every retryPeriod, give leadership up when
// no renewal succeeded within renewDeadline, and on stop release it (ReleaseOnCancel: holder
// cleared, leaseDurationSeconds 1) so a successor need not wait the duration out.
import { LeaseConflictError, type LeaseRecord, type LeaseStore } from './lease-store.js';
import { ErrorCodes, PlatformdError, describeError } from '../errors.js';

export interface ElectionTiming {
  /** How long candidates wait after the holder's last observed renewal before taking over (default 15 s). */
  leaseDurationMs: number;
  /** How long the holder keeps acting without a successful renewal (default 10 s; < lease duration). */
  renewDeadlineMs: number;
  /** How often candidates try to acquire and the holder renews (default 2 s). */
  retryPeriodMs: number;
}

/** client-go's DefaultLeaseDuration / DefaultRenewDeadline / DefaultRetryPeriod (leaderelection.go, controller-runtime's defaults too). */
export const DEFAULT_TIMING: ElectionTiming = { leaseDurationMs: 15_000, renewDeadlineMs: 10_000, retryPeriodMs: 2_000 };

/** The checks NewLeaderElector makes on its config (leaderelection.go). */
export function timingProblem(t: ElectionTiming): string | undefined {
  if (t.leaseDurationMs <= t.renewDeadlineMs) return 'the lease duration must be greater than the renew deadline';
  if (t.renewDeadlineMs <= 1.2 * t.retryPeriodMs) return 'the renew deadline must be greater than 1.2 × the retry period';
  if (t.retryPeriodMs < 1) return 'the retry period must be positive';
  return undefined;
}

export interface ElectorOptions extends Partial<ElectionTiming> {
  store: LeaseStore;
  identity: string;
  /** Milliseconds since the epoch (tests pass a fake clock). */
  now?: () => number;
  /** Leadership gained / lost (lost: the renew deadline passed, or the elector stopped). */
  onStartedLeading?: () => void;
  onStoppedLeading?: (why: string) => void;
  log?: (message: string) => void;
}

/** Who holds the Lease as this candidate last saw it. */
export interface LeaderView {
  holderIdentity: string;
  acquireTime: string;
  renewTime: string;
  leaseTransitions: number;
}

export class LeaderElector {
  readonly timing: ElectionTiming;
  private readonly now: () => number;
  private observed?: { record: LeaseRecord; resourceVersion: string; raw: string };
  /** Local time the observed record last changed: expiry is judged on our clock, not the holder's (client-go observedTime). */
  private observedAt = 0;
  /** Local time the last successful acquire/renew was SENT (a conservative start for the deadline). */
  private lastRenewSentAt?: number;
  private leading = false;
  private deadlineTimer?: NodeJS.Timeout;

  constructor(private readonly options: ElectorOptions) {
    this.timing = { leaseDurationMs: options.leaseDurationMs ?? DEFAULT_TIMING.leaseDurationMs, renewDeadlineMs: options.renewDeadlineMs ?? DEFAULT_TIMING.renewDeadlineMs,
      retryPeriodMs: options.retryPeriodMs ?? DEFAULT_TIMING.retryPeriodMs };
    const problem = timingProblem(this.timing);
    if (problem) throw new PlatformdError(ErrorCodes.USAGE, `leader election: ${problem}`);
    this.now = options.now ?? Date.now;
  }

  get identity(): string {
    return this.options.identity;
  }

  /**
   * Fencing: true only while the last successful renewal is younger than the renew deadline.
   * Computed from that time on every call, so it turns false the instant the deadline passes,
   * whether or not any timer has fired yet.
   */
  isLeader(): boolean {
    return this.leading && this.lastRenewSentAt !== undefined && this.now() < this.lastRenewSentAt + this.timing.renewDeadlineMs;
  }

  /** When leadership lapses unless a renewal succeeds first (epoch ms); undefined when not leading. */
  fencedAt(): number | undefined {
    return this.leading && this.lastRenewSentAt !== undefined ? this.lastRenewSentAt + this.timing.renewDeadlineMs : undefined;
  }

  /** Throws PLATFORMD_NOT_LEADER unless isLeader(): call before every mutating call. */
  assertLeader(): void {
    if (!this.isLeader()) throw new PlatformdError(ErrorCodes.NOT_LEADER, `not the leader of ${this.options.store.describe} any more (no renewal within ${this.timing.renewDeadlineMs / 1000}s); stopping before the next change`);
  }

  /** The holder as last observed (undefined before the first read or while nobody holds it). */
  leader(): LeaderView | undefined {
    const r = this.observed?.record;
    if (!r?.holderIdentity) return undefined;
    return { holderIdentity: r.holderIdentity, acquireTime: new Date(r.acquireTime).toISOString(), renewTime: new Date(r.renewTime).toISOString(), leaseTransitions: r.leaseTransitions };
  }

  /**
   * One attempt (client-go tryAcquireOrRenew). True when we hold the Lease afterwards. `force`
   * takes a Lease another holder still renews (`platformd apply --force-unlock`): still one
   * conditional update, so a concurrent writer wins or loses cleanly.
   */
  async tryAcquireOrRenew(force = false): Promise<boolean> {
    const sentAt = this.now();
    const mine: LeaseRecord = { holderIdentity: this.identity, leaseDurationSeconds: Math.ceil(this.timing.leaseDurationMs / 1000), acquireTime: sentAt, renewTime: sentAt, leaseTransitions: 0 };
    const current = await this.options.store.get();
    if (!current) {
      try {
        this.succeeded(await this.options.store.create(mine), sentAt);
        return true;
      } catch (err) {
        if (err instanceof LeaseConflictError) return false; // another candidate created it first
        throw err;
      }
    }
    const raw = JSON.stringify(current.record);
    if (raw !== this.observed?.raw) {
      this.observed = { ...current, raw };
      this.observedAt = this.now();
    } else {
      this.observed.resourceVersion = current.resourceVersion;
    }
    const old = current.record;
    const heldByOther = old.holderIdentity !== '' && old.holderIdentity !== this.identity;
    if (heldByOther && !force && this.observedAt + old.leaseDurationSeconds * 1000 > this.now()) return false;
    if (old.holderIdentity === this.identity) {
      mine.acquireTime = old.acquireTime;
      mine.leaseTransitions = old.leaseTransitions;
    } else {
      mine.leaseTransitions = old.leaseTransitions + 1;
    }
    try {
      this.succeeded(await this.options.store.update(mine, current.resourceVersion), sentAt);
      return true;
    } catch (err) {
      if (err instanceof LeaseConflictError) return false; // someone else wrote between our read and write
      throw err;
    }
  }

  private succeeded(written: { record: LeaseRecord; resourceVersion: string }, sentAt: number): void {
    this.observed = { ...written, raw: JSON.stringify(written.record) };
    this.observedAt = this.now();
    this.lastRenewSentAt = sentAt;
    if (!this.leading) {
      this.leading = true;
      this.options.log?.(`acquired lease ${this.options.store.describe} as ${this.identity}`);
      this.options.onStartedLeading?.();
    }
    // Tell the owner promptly when the deadline passes with no renewal in between; isLeader()
    // does not depend on this timer.
    clearTimeout(this.deadlineTimer);
    this.deadlineTimer = setTimeout(() => this.checkDeadline(), sentAt + this.timing.renewDeadlineMs - this.now() + 1);
    this.deadlineTimer.unref();
  }

  private checkDeadline(): void {
    if (this.leading && !this.isLeader()) this.lose(`failed to renew lease ${this.options.store.describe} within ${this.timing.renewDeadlineMs / 1000}s`);
  }

  private lose(why: string): void {
    if (!this.leading) return;
    this.leading = false;
    clearTimeout(this.deadlineTimer);
    this.options.log?.(`leadership lost: ${why}`);
    this.options.onStoppedLeading?.(why);
  }

  /**
   * Campaign until `signal` aborts: acquire (retrying every retry period), renew while holding,
   * campaign again after losing. On abort, release the Lease if held (ReleaseOnCancel).
   */
  async run(signal: AbortSignal, sleep: (ms: number, signal: AbortSignal) => Promise<void> = abortableSleep): Promise<void> {
    while (!signal.aborted) {
      try {
        const held = await this.tryAcquireOrRenew();
        if (!held && this.leading) this.lose(`lease ${this.options.store.describe} is now held by ${this.observed?.record.holderIdentity ?? 'another candidate'}`);
      } catch (err) {
        this.options.log?.(`lease ${this.options.store.describe}: ${describeError(err)}`);
      }
      this.checkDeadline();
      await sleep(this.timing.retryPeriodMs, signal).catch(() => undefined);
    }
    await this.release();
  }

  /** Give the Lease up if we hold it (client-go release): holder cleared, duration 1 s, transitions kept. */
  async release(): Promise<boolean> {
    const wasLeading = this.leading;
    this.lose('stopping');
    if (!wasLeading || !this.observed) return true;
    const at = this.now();
    const released: LeaseRecord = { holderIdentity: '', leaseDurationSeconds: 1, acquireTime: at, renewTime: at, leaseTransitions: this.observed.record.leaseTransitions };
    try {
      const written = await this.options.store.update(released, this.observed.resourceVersion);
      this.observed = { ...written, raw: JSON.stringify(written.record) };
      this.options.log?.(`released lease ${this.options.store.describe}`);
      return true;
    } catch (err) {
      this.options.log?.(`could not release lease ${this.options.store.describe}: ${describeError(err)}`);
      return false;
    }
  }
}

function abortableSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const t = setTimeout(() => { signal.removeEventListener('abort', onAbort); resolve(); }, ms);
    const onAbort = () => { clearTimeout(t); reject(signal.reason); };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
