// What apply and destroy share while they change things: Ctrl-C or SIGTERM stops the run after
// the calls in flight (a re-run converges), and progress goes to stderr, reading progress first;
// after an interrupt the changes never started are left to the summary's one line.
import type { ApplyEventSubscriber } from '../apply/events.js';
import { progressLine } from '../apply/progress-text.js';
import { readingProgress } from '../apply/reading-progress.js';

export interface InterruptibleRun {
  /** Aborted on SIGINT/SIGTERM. */
  signal: AbortSignal;
  /** The engine's events as progress lines on stderr. */
  onEvent: ApplyEventSubscriber;
}

/** `rerun` completes "interrupted: stopping after the current calls; re-run … to converge". */
export function interruptibleRun(rerun: string): InterruptibleRun {
  const ac = new AbortController();
  const stop = () => {
    console.error(`\ninterrupted: stopping after the current calls; ${rerun}.`);
    ac.abort(new Error('interrupted'));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  const reading = readingProgress();
  return {
    signal: ac.signal,
    onEvent: (e) => {
      if (e.type === 'change-skipped' && ac.signal.aborted) return;
      const line = reading(e) ?? progressLine(e);
      if (line) process.stderr.write(`${line}\n`);
    },
  };
}
