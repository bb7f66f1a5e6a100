// The last hour of probe results per service, in memory, for the status page's latency charts:
// one point per probe in a fixed-size ring per service, so memory is bounded whatever the interval.
import { compareText } from '../compare-text.js';

/** One probe's outcome, as the charts need it. */
export interface ProbePoint {
  at: string;
  durationMs: number;
  success: boolean;
  grpcStatus: number;
}

export interface ProbeSeries {
  service: string;
  /** Oldest first, within the window. */
  points: ProbePoint[];
}

/** 720 points: an hour at the default 5 s interval; a shorter interval keeps a shorter span. */
const PROBE_HISTORY_POINTS = 720;
export const PROBE_HISTORY_WINDOW_MS = 60 * 60 * 1000;

class Ring {
  private readonly slots: ProbePoint[] = [];
  private next = 0;
  constructor(private readonly size: number) {}

  push(point: ProbePoint): void {
    if (this.slots.length < this.size) this.slots.push(point);
    else this.slots[this.next] = point;
    this.next = (this.next + 1) % this.size;
  }

  /** Oldest first. */
  values(): ProbePoint[] {
    return this.slots.length < this.size ? [...this.slots] : [...this.slots.slice(this.next), ...this.slots.slice(0, this.next)];
  }
}

/** Bounded per-service probe history. Not persisted: a restart starts an empty hour. */
export class ProbeHistory {
  private readonly rings = new Map<string, Ring>();
  constructor(private readonly size = PROBE_HISTORY_POINTS, private readonly windowMs = PROBE_HISTORY_WINDOW_MS) {}

  record(service: string, point: ProbePoint): void {
    let ring = this.rings.get(service);
    if (!ring) this.rings.set(service, (ring = new Ring(this.size)));
    ring.push(point);
  }

  /** A service no longer probed: its history goes with its timer. */
  forget(service: string): void {
    this.rings.delete(service);
  }

  /** Every service's points of the last window, sorted by service. Must not modify the rings. */
  series(now = Date.now()): ProbeSeries[] {
    const since = now - this.windowMs;
    return [...this.rings].sort(([a], [b]) => compareText(a, b))
      .map(([service, ring]) => ({ service, points: ring.values().filter((p) => Date.parse(p.at) >= since) }));
  }
}
