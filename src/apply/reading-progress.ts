// "Reading 22 kinds… 14/22" while a plan reads live state, so the seconds before a plan appears
// are visibly work, not a hang. Throttled: the first and last line always, between them at most
// one a second.
import type { ApplyEvent } from './events.js';

/**
 * A stateful reader of engine events for one plan: returns the line to print for a reading event
 * ('' when it prints nothing this time) and undefined for events it does not handle.
 */
export function readingProgress(options: { intervalMs?: number; now?: () => number } = {}): (e: ApplyEvent) => string | undefined {
  const now = options.now ?? Date.now;
  const interval = options.intervalMs ?? 1000;
  let total = 0;
  let done = 0;
  let last = 0;
  return (e) => {
    if (e.type === 'observe-begin') {
      [total, done, last] = [e.kinds, 0, now()];
      return `Reading ${total} kinds…`;
    }
    if (e.type === 'observe-start') return '';
    if (e.type !== 'observe-done') return undefined;
    done++;
    if (done < total && now() - last < interval) return '';
    last = now();
    return `Reading ${total} kinds… ${done}/${total}`;
  };
}
