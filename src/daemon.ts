// The level-based loop: source → spec → plan → apply → record. One reconcile at a time; triggers
// that arrive meanwhile coalesce into one; failures back off exponentially (capped); an invalid
// spec at HEAD leaves the last good one in force. start() returns stop().
import { loadCheckoutSpec } from './source/checkout-spec.js';
import { withDefaults } from './spec/defaults.js';
import type { PlatformSpec } from './spec/types.js';
import type { ApplyResult, PlanResult } from './engine.js';
import type { ApplyEvent } from './apply/events.js';
import type { Metrics } from './metrics.js';
import type { Revision } from './source/git.js';
import { describeError } from './errors.js';
import { resourceStatuses, type DaemonStatus } from './daemon-status.js';

export type Trigger = 'start' | 'poll' | 'webhook' | 'resync' | 'manual' | 'retry';
/** Triggers that reconcile even when HEAD has not moved. */
const FORCING: Trigger[] = ['start', 'resync', 'manual', 'retry'];

export interface DaemonDeps {
  source: { fetch(): Promise<Revision> };
  plan(spec: PlatformSpec, protosDir: string, signal: AbortSignal): Promise<PlanResult>;
  apply(spec: PlatformSpec, protosDir: string, plan: PlanResult, signal: AbortSignal, onEvent: (e: ApplyEvent) => void): Promise<ApplyResult>;
  metrics: Metrics;
  mode: 'apply' | 'detect';
  branch: string;
  pollIntervalMs: number;
  resyncIntervalMs: number;
  /** First delay after a failure; doubles up to maxBackoffMs. */
  backoffMs?: number;
  maxBackoffMs?: number;
  log: (message: string, fields?: Record<string, unknown>) => void;
  /** Called when a (new) valid spec is in force — the prober follows it. */
  onSpec?: (spec: PlatformSpec, protosDir: string) => void;
}

export class Daemon {
  readonly status: DaemonStatus;
  private spec?: { spec: PlatformSpec; protosDir: string; commit: string };
  private pending?: Trigger;
  private wake?: () => void;
  private running = false;
  private stopped = false;
  private failures = 0;
  private timers: NodeJS.Timeout[] = [];
  private retryTimer?: NodeJS.Timeout;
  private readonly abort = new AbortController();
  private loopDone?: Promise<void>;
  /** Resolved after each reconcile (tests and the demo wait on it). */
  private listeners = new Set<() => void>();

  constructor(private readonly deps: DaemonDeps) {
    this.status = {
      mode: deps.mode, branch: deps.branch, commit: null, spec: { valid: true, commit: null, lastGoodCommit: null, diagnostics: [] },
      lastReconcile: null, lastSuccessAt: null, reconciling: false, resources: [], operatorActions: [], probes: [],
      source: { lastFetchAt: null, lastFetchError: null },
    };
    deps.metrics.reconcileInterval.set(deps.resyncIntervalMs / 1000);
  }

  /** The spec in force (the last valid one), if any. */
  current(): { spec: PlatformSpec; protosDir: string; commit: string } | undefined {
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
    // Keep the strongest pending trigger: a forcing one wins over poll/webhook.
    if (!this.pending || (FORCING.includes(kind) && !FORCING.includes(this.pending))) this.pending = kind;
    this.wake?.();
  }

  /** Resolves after the next reconcile finishes. */
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

  private async reconcile(trigger: Trigger): Promise<void> {
    const started = Date.now();
    const m = this.deps.metrics;
    this.running = true;
    this.status.reconciling = true;
    let outcome: 'success' | 'failure' | 'invalid_spec' = 'success';
    const record: NonNullable<DaemonStatus['lastReconcile']> = { trigger, startedAt: new Date(started).toISOString(), finishedAt: '', durationMs: 0, outcome, changes: 0, applied: [], failures: [], skipped: [] };
    try {
      let rev: Revision;
      try {
        rev = await this.deps.source.fetch();
        this.status.source = { lastFetchAt: new Date().toISOString(), lastFetchError: null };
      } catch (err) {
        this.status.source = { lastFetchAt: new Date().toISOString(), lastFetchError: describeError(err) };
        throw err;
      }
      const moved = rev.sha !== this.status.commit;
      this.status.commit = rev.sha;
      if (moved || !this.spec) {
        const loaded = await loadCheckoutSpec({ ...rev, commit: rev.sha, keep: this.spec ? [this.spec.commit] : [] });
        this.status.spec.diagnostics = loaded.diagnostics;
        this.status.spec.commit = rev.sha;
        if (!loaded.ok) {
          this.status.spec.valid = false;
          m.specValid.set(0);
          outcome = 'invalid_spec';
          this.deps.log('spec at HEAD is invalid; the last good spec stays in force', { commit: rev.sha, errors: loaded.diagnostics.length });
          if (!this.spec) return;
        } else {
          this.status.spec.valid = true;
          m.specValid.set(1);
          this.spec = { spec: withDefaults(loaded.spec), protosDir: loaded.protosDir, commit: rev.sha };
          this.status.spec.lastGoodCommit = rev.sha;
          this.deps.onSpec?.(this.spec.spec, this.spec.protosDir);
        }
      } else if (!FORCING.includes(trigger)) {
        return; // nothing new at HEAD: wait for the resync to look for drift
      }
      const { spec, protosDir, commit } = this.spec!;
      const planned = await this.deps.plan(spec, protosDir, this.abort.signal);
      this.recordDrift(planned);
      record.changes = planned.plan.changes.length;
      if (this.deps.mode === 'apply' && planned.plan.changes.some((c) => c.action !== '!')) {
        const result = await this.deps.apply(spec, protosDir, planned, this.abort.signal, (e) => {
          if (e.type === 'change-failed' || e.type === 'change-done') this.deps.log(`${e.id}: ${e.type === 'change-done' ? 'done' : `failed: ${e.error}`}`);
        });
        record.applied = result.applied;
        record.failures = result.failed;
        record.skipped = result.skipped;
        if (result.failed.length > 0) outcome = outcome === 'invalid_spec' ? outcome : 'failure';
        // Re-read after applying so drift metrics and /status show the state now, not before.
        this.recordDrift(await this.deps.plan(spec, protosDir, this.abort.signal));
      }
      m.appliedCommit.reset();
      m.appliedCommit.labels(commit, this.deps.branch).set(1);
    } catch (err) {
      outcome = 'failure';
      record.error = describeError(err);
      this.deps.log('reconcile failed', { error: record.error });
    } finally {
      const duration = Date.now() - started;
      record.outcome = outcome;
      record.finishedAt = new Date().toISOString();
      record.durationMs = duration;
      this.status.lastReconcile = record;
      this.status.reconciling = false;
      this.running = false;
      m.reconciles.labels(outcome).inc();
      m.reconcileDuration.labels(outcome).observe(duration / 1000);
      if (outcome === 'success') {
        this.failures = 0;
        this.status.lastSuccessAt = record.finishedAt;
        m.lastSuccess.set(Date.now() / 1000);
      } else if (outcome === 'failure') {
        this.scheduleRetry();
      }
    }
  }

  private scheduleRetry(): void {
    if (this.stopped) return;
    const base = this.deps.backoffMs ?? 5_000;
    const delay = Math.min(this.deps.maxBackoffMs ?? 5 * 60_000, base * 2 ** this.failures);
    this.failures++;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => this.trigger('retry'), delay);
    this.retryTimer.unref();
    this.deps.log(`retrying in ${Math.round(delay / 1000)}s`);
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
