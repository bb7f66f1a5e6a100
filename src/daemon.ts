// The level-based loop: source → spec → plan → apply → record. One reconcile at a time; triggers
// that arrive meanwhile coalesce into one; failures back off exponentially (capped); an invalid
// spec at HEAD leaves the last good one in force. start() returns stop().
import { loadCheckoutSpec } from './source/checkout-spec.js';
import type { ResolvedSpec } from './platform-spec/resolved.js';
import type { ApplyResult, PlanResult } from './engine.js';
import { fanOut, type ApplyEventSubscriber } from './apply/events.js';
import type { Metrics } from './metrics.js';
import { metricsSubscriber } from './metrics-events.js';
import { newProgress, progressSubscriber } from './reconcile-progress.js';
import type { Revision } from './source/git.js';
import { describeError, isTerminalError } from './errors.js';
import { resourceStatuses, type Condition, type DaemonStatus, type ReconcileRecord } from './daemon-status.js';
import { initialConditions, outcomeConditions, progressingConditions, recordConditions } from './reconcile-conditions.js';
import { verdict, type Verdict } from './reconcile-outcome.js';
import { silentLogger, type Logger } from './log/logger.js';
import { ReconcileLog } from './log/reconcile-log.js';
import { coalesceTrigger, FORCING, retryDelayMs, type Trigger } from './daemon-schedule.js';

export type { Trigger } from './daemon-schedule.js';

/** How many reconciles /status keeps. */
export const RECONCILE_HISTORY = 10;

function newRecord(trigger: Trigger, started: number, revision: string | null): ReconcileRecord {
  return { trigger, revision, startedAt: new Date(started).toISOString(), finishedAt: '', durationMs: 0, outcome: 'failure', changes: 0, pending: 0, applied: [], failures: [], skipped: [] };
}

function formatDelay(ms: number): string {
  return ms < 1000 ? `${ms}ms` : `${Math.round(ms / 100) / 10}s`;
}

export interface DaemonDeps {
  source: { fetch(): Promise<Revision> };
  /** `onEvent` receives the engine's events while it reads live state (/status and metrics subscribe). */
  plan(spec: ResolvedSpec, protosDir: string, signal: AbortSignal, onEvent?: ApplyEventSubscriber): Promise<PlanResult>;
  /** `onEvent` receives the engine's events while it applies (the reconcile log, /status and metrics subscribe). */
  apply(spec: ResolvedSpec, protosDir: string, plan: PlanResult, signal: AbortSignal, onEvent: ApplyEventSubscriber): Promise<ApplyResult>;
  metrics: Metrics;
  mode: 'apply' | 'detect';
  branch: string;
  pollIntervalMs: number;
  resyncIntervalMs: number;
  /** First delay after a failure; doubles up to maxBackoffMs. */
  backoffMs?: number;
  maxBackoffMs?: number;
  log: (message: string, fields?: Record<string, unknown>) => void;
  /** The structured log of reconciles (plan summary, each change, progress, diagnostics); silent when absent. */
  logger?: Logger;
  /** Called when a (new) valid spec is in force — the prober follows it. */
  onSpec?: (spec: ResolvedSpec, protosDir: string) => void;
}

export class Daemon {
  readonly status: DaemonStatus;
  private spec?: { spec: ResolvedSpec; protosDir: string; commit: string };
  private pending?: Trigger;
  private wake?: () => void;
  private running = false;
  private stopped = false;
  private failures = 0;
  private timers: NodeJS.Timeout[] = [];
  private retryTimer?: NodeJS.Timeout;
  private readonly abort = new AbortController();
  private loopDone?: Promise<void>;
  /** Resolved after each handled trigger, a reconcile or a poll that found nothing new (tests and the demo wait on it). */
  private listeners = new Set<() => void>();
  private readonly reconcileLog: ReconcileLog;
  /** Keeps status.progress current from the engine's events. */
  private readonly progressEvents: ApplyEventSubscriber;

  constructor(private readonly deps: DaemonDeps) {
    this.reconcileLog = new ReconcileLog(deps.logger ?? silentLogger());
    this.status = {
      mode: deps.mode, branch: deps.branch, commit: null, spec: { valid: true, commit: null, lastGoodCommit: null, diagnostics: [] },
      conditions: [], lastAppliedRevision: null, lastAttemptedRevision: null, reconciles: [], retry: null,
      lastReconcile: null, lastSuccessAt: null, reconciling: false, progress: null, resources: [], operatorActions: [], probes: [],
      source: { lastFetchAt: null, lastFetchError: null, fetches: 0 },
    };
    this.progressEvents = progressSubscriber(this.status);
    this.setConditions(initialConditions(new Date().toISOString()));
    deps.metrics.reconcileInterval.set(deps.resyncIntervalMs / 1000);
  }

  /** The spec in force (the last valid one), if any. */
  current(): { spec: ResolvedSpec; protosDir: string; commit: string } | undefined {
    return this.spec;
  }

  /** Start the loop and its timers; resolves stop(), which finishes or abandons the current work. */
  start(): () => Promise<void> {
    const every = (ms: number, trigger: Trigger) => {
      const t = setInterval(() => this.trigger(trigger), ms);
      t.unref();
      this.timers.push(t);
    };
    every(this.deps.pollIntervalMs, 'poll');
    every(this.deps.resyncIntervalMs, 'resync');
    this.loopDone = this.loop();
    this.trigger('start');
    return () => this.stop();
  }

  /** Ask for a reconcile; several triggers while one runs become one. */
  trigger(kind: Trigger): void {
    if (this.stopped) return;
    this.pending = coalesceTrigger(this.pending, kind);
    this.wake?.();
  }

  /** Resolves after the next trigger has been handled (a reconcile, or a poll that found nothing new). */
  nextReconcile(): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        this.listeners.delete(done);
        resolve();
      };
      this.listeners.add(done);
    });
  }

  private async loop(): Promise<void> {
    while (!this.stopped) {
      if (!this.pending) await new Promise<void>((resolve) => { this.wake = resolve; });
      this.wake = undefined;
      if (this.stopped) break;
      const trigger = this.pending!;
      this.pending = undefined;
      await this.reconcile(trigger);
      for (const l of [...this.listeners]) l();
    }
  }

  private async stop(): Promise<void> {
    this.stopped = true;
    for (const t of this.timers) clearInterval(t);
    if (this.retryTimer) clearTimeout(this.retryTimer);
    // Abandon the current action safely: the engine stops starting new work; re-runs converge.
    this.abort.abort(new Error('platformd is shutting down'));
    this.wake?.();
    await this.loopDone;
  }

  /**
   * One pass of the loop. A poll or webhook that finds the commit already worked on is not a
   * reconcile: nothing is recorded or counted, so it can neither hide a failure nor move the
   * success timestamp. Everything else plans (or fails trying) and is recorded.
   */
  private async reconcile(trigger: Trigger): Promise<void> {
    const started = Date.now();
    let rev: Revision;
    try {
      rev = await this.deps.source.fetch();
      this.fetched(null);
    } catch (err) {
      const error = describeError(err);
      this.fetched(error);
      this.begin(this.deps.branch);
      this.reconcileLog.failed(`reconcile failed: ${this.deps.branch} could not be fetched`, error);
      this.finish({ ...newRecord(trigger, started, null), error }, { outcome: 'failure', message: `fetching ${this.deps.branch} failed: ${error}` }, 'SourceFailed');
      return;
    }
    const moved = rev.sha !== this.status.commit;
    this.status.commit = rev.sha;
    if (!moved && !FORCING.includes(trigger)) return;
    const revision = `${this.deps.branch}@sha1:${rev.sha}`;
    const record = newRecord(trigger, started, revision);
    this.begin(revision, rev.sha);
    let result: Verdict;
    let terminal = false;
    try {
      result = await this.planAndApply(rev, revision, record);
      terminal = record.failures.length > 0 && record.failures.every((f) => f.terminal);
    } catch (err) {
      record.error = describeError(err);
      terminal = isTerminalError(err);
      this.reconcileLog.failed(`reconcile of ${revision} failed`, record.error);
      result = { outcome: 'failure', message: `reconciling ${revision} failed: ${record.error}` };
    }
    this.finish(record, result, undefined, terminal);
  }

  /** Read the spec at `rev` when it is new; put a valid one in force. */
  private async loadHead(rev: Revision): Promise<void> {
    const m = this.deps.metrics;
    const loaded = await loadCheckoutSpec({ ...rev, commit: rev.sha, keep: this.spec ? [this.spec.commit] : [] });
    this.status.spec.diagnostics = loaded.diagnostics;
    this.status.spec.commit = rev.sha;
    if (!loaded.ok) {
      this.status.spec.valid = false;
      m.specValid.set(0);
      const inForce = this.spec ? `${this.deps.branch}@sha1:${this.spec.commit}` : null;
      this.reconcileLog.invalidSpec(this.reconcileLog.forCommit(this.spec?.spec.metadata.name, rev.sha), rev.sha, loaded.diagnostics, inForce, rev.treeDir);
      return;
    }
    this.status.spec.valid = true;
    m.specValid.set(1);
    this.spec = { spec: loaded.spec, protosDir: loaded.protosDir, commit: rev.sha };
    this.status.spec.lastGoodCommit = rev.sha;
    this.deps.onSpec?.(this.spec.spec, this.spec.protosDir);
  }

  private async planAndApply(rev: Revision, revision: string, record: ReconcileRecord): Promise<Verdict> {
    if (rev.sha !== this.status.spec.commit || !this.spec) await this.loadHead(rev);
    const invalid = this.status.spec.valid ? undefined
      : { diagnostics: this.status.spec.diagnostics, inForce: this.spec ? `${this.deps.branch}@sha1:${this.spec.commit}` : null };
    if (!this.spec) return verdict({ mode: this.deps.mode, revision, invalid, pending: [], failures: [] });
    const { spec, protosDir } = this.spec;
    const planEvents = fanOut(this.progressEvents, metricsSubscriber(this.deps.metrics));
    let planned = await this.deps.plan(spec, protosDir, this.abort.signal, planEvents);
    this.recordDrift(planned);
    record.changes = planned.plan.changes.length;
    const first = planned.plan;
    const log = this.reconcileLog.forCommit(spec.metadata.name, this.spec.commit);
    const applying = this.deps.mode === 'apply' && first.changes.some((c) => c.action !== '!');
    if (!applying) this.reconcileLog.planned(log, first);
    if (applying) {
      const kindOf = new Map(first.changes.map((c) => [c.id, c.kind]));
      const applyEvents = fanOut(this.reconcileLog.applyEvents(log, first), this.progressEvents, metricsSubscriber(this.deps.metrics, (id) => kindOf.get(id)));
      const result = await this.deps.apply(spec, protosDir, planned, this.abort.signal, applyEvents);
      record.applied = result.applied;
      record.failures = result.failed;
      record.skipped = result.skipped;
      // Re-read after applying: only what is live now can confirm convergence (and drift
      // metrics and /status show the state now, not before).
      planned = await this.deps.plan(spec, protosDir, this.abort.signal, planEvents);
      this.recordDrift(planned);
    }
    record.pending = planned.plan.changes.length;
    this.reconcileLog.reconciled(log, this.spec.commit, first, { detect: this.deps.mode === 'detect', pending: record.pending, failed: record.failures.length });
    return verdict({ mode: this.deps.mode, revision, invalid, pending: planned.plan.changes, failures: record.failures });
  }

  private fetched(error: string | null): void {
    this.status.source = { lastFetchAt: new Date().toISOString(), lastFetchError: error, fetches: this.status.source.fetches + 1 };
    this.deps.metrics.sourceFetches.labels(error ? 'failure' : 'success').inc();
  }

  private begin(revision: string, sha?: string): void {
    this.running = true;
    this.status.reconciling = true;
    this.status.progress = newProgress(new Date());
    if (sha) {
      this.status.lastAttemptedRevision = revision;
      this.deps.metrics.attemptedCommit.reset();
      this.deps.metrics.attemptedCommit.labels(sha, this.deps.branch).set(1);
    }
    this.setConditions(progressingConditions(this.status.conditions, revision, new Date().toISOString()));
  }

  /**
   * Record a reconcile's outcome. A failure backs off and retries, unless it is terminal (retrying
   * cannot fix it, e.g. a dependency cycle): that one is reported and waits for a new commit.
   */
  private finish(record: ReconcileRecord, result: Verdict, reason?: string, terminal = false): void {
    const m = this.deps.metrics;
    const now = new Date();
    record.outcome = result.outcome;
    record.finishedAt = now.toISOString();
    record.durationMs = now.getTime() - Date.parse(record.startedAt);
    let message = result.message;
    if (result.outcome === 'failure' && terminal) {
      this.failures++;
      this.status.retry = null;
      if (this.retryTimer) clearTimeout(this.retryTimer);
      message += '; not retried: retrying cannot fix this, waiting for a new commit';
    } else if (result.outcome === 'failure') {
      record.retryInMs = this.scheduleRetry();
      message += `; retrying in ${formatDelay(record.retryInMs)} (failure ${this.failures} in a row)`;
    } else {
      this.failures = 0;
      this.status.retry = null;
      if (this.retryTimer) clearTimeout(this.retryTimer);
    }
    m.consecutiveFailures.set(this.failures);
    m.reconciles.labels(result.outcome).inc();
    m.reconcileDuration.labels(result.outcome).observe(record.durationMs / 1000);
    if (result.outcome === 'success') {
      this.status.lastSuccessAt = record.finishedAt;
      this.status.lastAppliedRevision = record.revision;
      m.lastSuccess.set(now.getTime() / 1000);
      m.appliedCommit.reset();
      m.appliedCommit.labels(this.spec!.commit, this.deps.branch).set(1);
    }
    this.status.reconciles = [record, ...this.status.reconciles].slice(0, RECONCILE_HISTORY);
    this.status.lastReconcile = record;
    this.setConditions(outcomeConditions(this.status.conditions, result.outcome, message, record.finishedAt, reason, terminal));
    this.status.reconciling = false;
    this.status.progress = null;
    this.running = false;
  }

  private setConditions(conditions: Condition[]): void {
    this.status.conditions = conditions;
    recordConditions(this.deps.metrics, conditions);
  }

  /** Schedule the retry after a failure: base·2^(failures so far), capped. Returns the delay. */
  private scheduleRetry(): number {
    const delay = retryDelayMs(this.failures, this.deps.backoffMs ?? 5_000, this.deps.maxBackoffMs ?? 5 * 60_000);
    this.failures++;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.status.retry = { consecutiveFailures: this.failures, delayMs: delay, at: new Date(Date.now() + delay).toISOString() };
    this.deps.log(`retrying in ${formatDelay(delay)}`, { consecutiveFailures: this.failures });
    if (this.stopped) return delay;
    this.retryTimer = setTimeout(() => this.trigger('retry'), delay);
    this.retryTimer.unref();
    return delay;
  }

  private recordDrift(planned: PlanResult): void {
    const m = this.deps.metrics;
    this.status.resources = resourceStatuses(planned.plan, planned.observed);
    this.status.operatorActions = planned.plan.operatorActions;
    m.resourceDrift.reset();
    m.driftedResources.reset();
    const perKind = new Map<string, number>();
    for (const r of this.status.resources) {
      const drifted = r.state === 'in-sync' ? 0 : 1;
      m.resourceDrift.labels(r.kind, r.id).set(drifted);
      perKind.set(r.kind, (perKind.get(r.kind) ?? 0) + drifted);
    }
    for (const [kind, n] of perKind) m.driftedResources.labels(kind).set(n);
  }

  get busy(): boolean {
    return this.running;
  }
}
