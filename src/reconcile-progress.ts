// The /status subscriber: keeps `progress` of the daemon's status current from the engine's
// events while a reconcile runs, so an operator sees which changes are under way and why one is
// still waiting without reading the log.
import type { ApplyEventSubscriber } from './apply/events.js';
import type { ReconcileProgress } from './daemon-status.js';

/** A reconcile that has started and read nothing yet. */
export function newProgress(at: Date): ReconcileProgress {
  return { phase: 'observing', kinds: { observed: 0, total: 0 }, changes: { done: 0, failed: 0, skipped: 0 }, inFlight: [], retries: 0, updatedAt: at.toISOString() };
}

/**
 * A subscriber updating `holder.progress` in place (starting one when it is null or absent).
 * The daemon resets `holder.progress` itself when a reconcile begins and ends.
 */
export function progressSubscriber(holder: { progress?: ReconcileProgress | null }, now: () => Date = () => new Date()): ApplyEventSubscriber {
  return (event) => {
    const at = now();
    const p = holder.progress ?? (holder.progress = newProgress(at));
    p.updatedAt = at.toISOString();
    const inFlight = (id: string) => p.inFlight.find((c) => c.id === id);
    const finish = (id: string) => { p.inFlight = p.inFlight.filter((c) => c.id !== id); };
    switch (event.type) {
      case 'observe-begin':
        p.phase = 'observing';
        p.kinds = { observed: 0, total: event.kinds };
        return;
      case 'observe-done':
        p.kinds.observed++;
        return;
      case 'change-start':
        p.phase = 'applying';
        p.inFlight.push({ id: event.id, action: event.action, startedAt: at.toISOString() });
        return;
      case 'progress': {
        const change = inFlight(event.id);
        if (change) change.message = event.message;
        return;
      }
      case 'retry': {
        p.retries++;
        const change = inFlight(event.id);
        if (change) change.message = `attempt ${event.attempt} failed (${event.error}); retrying`;
        return;
      }
      case 'change-done':
        finish(event.id);
        p.changes.done++;
        return;
      case 'change-failed':
        finish(event.id);
        p.changes.failed++;
        return;
      case 'change-skipped':
        p.changes.skipped++;
        return;
      default:
        return;
    }
  };
}
