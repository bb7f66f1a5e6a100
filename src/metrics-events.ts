// The metrics subscriber: turns the engine's typed events into the series operators alert on —
// how long each kind takes to read, how long changes take by action, which changes fail, and how
// often the engine had to retry a kind's calls (throttling is normal; a rising rate is not).
import { actionVerb, type ApplyEventSubscriber } from './apply/events.js';
import type { Metrics } from './metrics.js';

/** The engine names a retry while reading a kind `observe <kind>`; a change's retry by its logical id. */
const OBSERVE_PREFIX = 'observe ';

/**
 * A subscriber recording one plan or apply's events into `metrics`. `kindOf` names the resource
 * kind of a logical id (from the plan being applied); ids it does not know count as kind "unknown".
 */
export function metricsSubscriber(metrics: Metrics, kindOf: (id: string) => string | undefined = () => undefined): ApplyEventSubscriber {
  const kindOfEvent = (id: string): string => kindOf(id) ?? (id.startsWith(OBSERVE_PREFIX) ? id.slice(OBSERVE_PREFIX.length) : 'unknown');
  return (event) => {
    switch (event.type) {
      case 'observe-done':
        metrics.observeDuration.labels(event.kind).observe(event.durationMs / 1000);
        return;
      case 'change-done':
        metrics.changeDuration.labels(actionVerb(event.action)).observe(event.durationMs / 1000);
        return;
      case 'change-failed':
        metrics.changeFailures.labels(kindOfEvent(event.id), actionVerb(event.action)).inc();
        return;
      case 'retry':
        metrics.resourceRetries.labels(kindOfEvent(event.id)).inc();
        return;
      default:
        return;
    }
  };
}
