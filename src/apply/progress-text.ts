// Apply events as progress lines for a terminal or a log (timestamps, id, what is happening).
import type { ApplyEvent } from './events.js';

const VERB: Record<string, [string, string]> = {
  '+': ['creating', 'created'], '~': ['updating', 'updated'], '-': ['deleting', 'deleted'], '-/+': ['replacing', 'replaced'],
};

/** One line per event worth showing a person; undefined for events that are not. */
export function progressLine(e: ApplyEvent, now: Date = new Date()): string | undefined {
  const ts = now.toISOString().slice(11, 19);
  switch (e.type) {
    case 'change-start': return `${ts} ${e.id}: ${VERB[e.action]?.[0] ?? e.action}…`;
    case 'progress': return `${ts} ${e.id}: ${e.message}`;
    case 'change-done': return `${ts} ${e.id}: ${VERB[e.action]?.[1] ?? 'done'} in ${formatSeconds(e.durationMs)}`;
    case 'change-failed': return `${ts} ${e.id}: FAILED: ${e.cause ?? e.error}`;
    case 'change-skipped': return `${ts} ${e.id}: skipped (${e.because})`;
    case 'retry': return `${ts} ${e.id}: attempt ${e.attempt} failed (${e.error}); next try in ${formatSeconds(e.delayMs)}`;
    default: return undefined;
  }
}

function formatSeconds(ms: number): string {
  return ms < 10_000 ? `${(ms / 1000).toFixed(1)}s` : `${Math.round(ms / 1000)}s`;
}
