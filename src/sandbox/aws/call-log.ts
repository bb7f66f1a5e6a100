// Every request the emulator answers, in order, for tests and benchmarks to assert on
// ("the no-op plan read each kind with one paged call"), with who made it and IAM's decision.
// NOTE(in-process): the emulated in-cluster agents (load balancer controller, VPC CNI) call the
// services in-process; their calls are kept apart (agentCalls) so that all()/since() stay what
// they always were — the HTTP requests platformd made — and everyCall() shows both, like
// CloudTrail shows every principal of the account.

export interface CallRecord {
  seq: number;
  at: number;
  service: string;
  operation: string;
  status: number;
  errorCode?: string;
  requestId: string;
  /** The platform and replica that made the call (platformd's x-platformd-* headers), when sent. */
  platform?: string;
  replica?: string;
  /** The decoded input, kept for assertions on what was sent. */
  input: unknown;
  /** The caller's ARN (IAM user or assumed-role session) when the key is under IAM enforcement. */
  principal?: string;
  /** IAM's decision on the call when its principal is under enforcement. */
  decision?: 'allowed' | 'denied';
  /** Made in-process by an emulated in-cluster agent (not an HTTP request). */
  agent?: string;
}

/** Requests noted and not yet recorded are few (in flight); a bound keeps a stray one from piling up. */
const MAX_PENDING_CALLERS = 1_000;

export class CallLog {
  private records: CallRecord[] = [];
  private agentRecords: CallRecord[] = [];
  private seq = 0;
  /** Who sent a request still being handled (x-platformd-platform / x-platformd-replica), by request id. */
  private readonly callers = new Map<string, { platform?: string; replica?: string }>();

  /** Keep the caller headers of a request until its record is added. */
  noteCaller(requestId: string, headers: Record<string, string | string[] | undefined>): void {
    const one = (name: string) => (typeof headers[name] === 'string' ? (headers[name] as string) : undefined);
    const platform = one('x-platformd-platform');
    const replica = one('x-platformd-replica');
    if (platform === undefined && replica === undefined) return;
    if (this.callers.size >= MAX_PENDING_CALLERS) this.callers.delete(this.callers.keys().next().value as string);
    this.callers.set(requestId, { ...(platform !== undefined ? { platform } : {}), ...(replica !== undefined ? { replica } : {}) });
  }

  add(r: Omit<CallRecord, 'seq' | 'at'>): void {
    const caller = this.callers.get(r.requestId);
    this.callers.delete(r.requestId);
    this.records.push({ ...r, ...caller, seq: ++this.seq, at: Date.now() });
  }

  /** Record a call an emulated in-cluster agent made in-process (see NOTE(in-process)). */
  addAgentCall(r: Omit<CallRecord, 'seq' | 'at'> & { agent: string }): void {
    this.agentRecords.push({ ...r, seq: ++this.seq, at: Date.now() });
  }

  /** The in-process calls of the emulated agents after a mark. */
  agentCalls(mark = 0): CallRecord[] {
    return this.agentRecords.filter((r) => r.seq > mark);
  }

  /** HTTP requests and agents' calls after a mark, in order: every principal's calls. */
  everyCall(mark = 0): CallRecord[] {
    return [...this.since(mark), ...this.agentCalls(mark)].sort((a, b) => a.seq - b.seq);
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
    this.agentRecords = [];
  }

  /** Count of calls per "service:Operation" among the given records. */
  static countByOperation(records: readonly CallRecord[]): Record<string, number> {
    const out: Record<string, number> = {};
    for (const r of records) out[`${r.service}:${r.operation}`] = (out[`${r.service}:${r.operation}`] ?? 0) + 1;
    return out;
  }
}
