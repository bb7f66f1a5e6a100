// How a reconcile ended, judged from what it saw after its last plan. Only a plan with nothing left
// to do at the spec at HEAD is a success: live state confirmed converged. Pure.
import type { Change } from './plan/types.js';
import type { Diagnostic } from './platform-spec/diagnostics.js';
import type { ReconcileOutcome, ReconcileRecord } from './daemon-status.js';

export interface Verdict {
  outcome: ReconcileOutcome;
  message: string;
}

export interface VerdictInput {
  mode: 'apply' | 'detect';
  revision: string;
  /** Set when the spec at HEAD does not validate (the last good spec may have been reconciled). */
  invalid?: { diagnostics: Diagnostic[]; inForce: string | null };
  /** Changes the final plan still lists (after applying, in apply mode). */
  pending: Change[];
  failures: ReconcileRecord['failures'];
}

const MAX_LISTED = 3;

function list<T>(items: T[], show: (item: T) => string): string {
  const shown = items.slice(0, MAX_LISTED).map(show).join('; ');
  return items.length > MAX_LISTED ? `${shown}; and ${items.length - MAX_LISTED} more` : shown;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

export function verdict(input: VerdictInput): Verdict {
  const { mode, revision, invalid, pending, failures } = input;
  if (invalid) {
    const where = (d: Diagnostic) => `${d.line !== undefined ? `line ${d.line}:${d.column ?? 0}: ` : ''}${d.summary}`;
    const inForce = invalid.inForce ? `; the last good spec (${invalid.inForce}) stays in force` : '; no valid spec has been seen yet';
    return { outcome: 'invalid_spec', message: `spec at ${revision} is invalid: ${list(invalid.diagnostics.filter((d) => d.severity !== 'warning'), where)}${inForce}` };
  }
  if (failures.length > 0) {
    return { outcome: 'failure', message: `${plural(failures.length, 'change')} failed at ${revision}: ${list(failures, (f) => `${f.id}: ${f.error}`)}` };
  }
  if (pending.length === 0) return { outcome: 'success', message: `Applied revision: ${revision}` };
  if (mode === 'detect') {
    return { outcome: 'drifted', message: `${plural(pending.length, 'resource')} differ from the spec at ${revision} (detect mode: not repaired): ${list(pending, (c) => c.id)}` };
  }
  if (pending.every((c) => c.action === '!')) {
    return { outcome: 'blocked', message: `${plural(pending.length, 'change')} at ${revision} need an operator: ${list(pending, (c) => `${c.id} (${c.blockedBy ?? c.reason})`)}` };
  }
  const open = pending.filter((c) => c.action !== '!');
  return { outcome: 'failure', message: `${plural(open.length, 'change')} still pending after applying ${revision}: ${list(open, (c) => c.id)}` };
}
