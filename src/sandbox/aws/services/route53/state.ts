// Route 53 state (global per account): zones with delegation sets and record sets, and changes
// that go PENDING → INSYNC on the scaled clock.
import { randomBytes } from 'node:crypto';
import type { ScaledClock } from '../../../clock.js';

export interface RecordSet {
  name: string;
  type: string;
  ttl?: number;
  values?: string[];
  alias?: { hostedZoneId: string; dnsName: string; evaluateTargetHealth: boolean };
}

export interface HostedZone {
  id: string;
  name: string;
  callerReference: string;
  comment?: string;
  nameServers: string[];
  records: RecordSet[];
  tags: Map<string, string>;
}

export interface Change { id: string; submittedAt: Date; insyncAt: number; zoneId: string }

const CHANGE_PROPAGATION_MS = 60_000;

export const zoneIdOf = () => `Z${randomBytes(10).toString('hex').toUpperCase().slice(0, 19)}`;

/** Names are stored lowercase with a trailing dot; `*` is kept (written as \\052 on the wire). */
export function canonicalName(name: string): string {
  const n = name.toLowerCase().replace(/\\052/g, '*');
  return n.endsWith('.') ? n : `${n}.`;
}

export class Route53State {
  readonly zones = new Map<string, HostedZone>();
  readonly changes = new Map<string, Change>();
  /** Token bucket of the account: burst 50, refill 10 per second (real time, not scaled). */
  private tokens = 50;
  private refilledAt = Date.now();

  constructor(readonly clock: ScaledClock) {}

  takeToken(): boolean {
    const now = Date.now();
    this.tokens = Math.min(50, this.tokens + ((now - this.refilledAt) / 1000) * 10);
    this.refilledAt = now;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }

  newChange(zoneId: string): Change {
    const c = { id: `C${randomBytes(10).toString('hex').toUpperCase().slice(0, 19)}`, submittedAt: new Date(), insyncAt: this.clock.deadline(CHANGE_PROPAGATION_MS), zoneId };
    this.changes.set(c.id, c);
    return c;
  }

  /** Whether a change for the zone is still being applied. */
  pendingChange(zoneId: string): boolean {
    return [...this.changes.values()].some((c) => c.zoneId === zoneId && !this.clock.passed(c.insyncAt));
  }

  /** The zone whose name is the longest suffix of `name` (DNS answers, ACM validation). */
  zoneFor(name: string): HostedZone | undefined {
    const n = canonicalName(name);
    return [...this.zones.values()].filter((z) => n === z.name || n.endsWith(`.${z.name}`)).sort((a, b) => b.name.length - a.name.length)[0];
  }
}
