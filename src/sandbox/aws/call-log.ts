// Every request the emulator answers, in order, for tests and benchmarks to assert on
// ("the no-op plan read each kind with one paged call").

export interface CallRecord {
  seq: number;
  at: number;
  service: string;
  operation: string;
  status: number;
  errorCode?: string;
  requestId: string;
  /** The decoded input, kept for assertions on what was sent. */
  input: unknown;
  /** The platform and replica that made the call (platformd's x-platformd-* headers), when sent. */
  platform?: string;
  replica?: string;
}

export class CallLog {
  private records: CallRecord[] = [];
  private seq = 0;

  add(r: Omit<CallRecord, 'seq' | 'at'>): void {
    this.records.push({ ...r, seq: ++this.seq, at: Date.now() });
  }

  all(): readonly CallRecord[] {
    return this.records;
  }

  /** Calls recorded after a mark() (use mark/since to look at one phase of a test). */
  since(mark: number): CallRecord[] {
    return this.records.filter((r) => r.seq > mark);
  }

  mark(): number {
    return this.seq;
  }

  clear(): void {
    this.records = [];
  }

  /** Count of calls per "service:Operation" among the given records. */
  static countByOperation(records: readonly CallRecord[]): Record<string, number> {
    const out: Record<string, number> = {};
    for (const r of records) out[`${r.service}:${r.operation}`] = (out[`${r.service}:${r.operation}`] ?? 0) + 1;
    return out;
  }
}
