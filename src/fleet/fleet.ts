// The platforms of a fleet on this replica. Each platform has a slot: its metrics, and (with
// leader election) its own Lease and elector; while this replica leads it, a worker reconciles and
// probes it. Every retry period the fleet re-counts live replicas and hands surplus platforms back
// (worker stopped first, then the Lease released), and the electors may take a free or expired
// Lease only while this replica holds fewer than its fair share (gated-store.ts).
import type { KubeConfig } from '@kubernetes/client-node';
import { LeaderElector, type ElectionTiming, type LeaderView } from '../leader/elector.js';
import { kubeLeaseStore } from '../leader/lease-store.js';
import { createMetrics, type Metrics } from '../metrics.js';
import { describeError } from '../errors.js';
import { fairShare, surplus } from './fair-share.js';
import { gatedLeaseStore } from './gated-store.js';
import { dropProcessFamilies } from './fleet-http.js';
import { Membership } from './membership.js';
import { startWorker, type PlatformWorker, type WorkerSettings } from './platform-worker.js';
import type { SharedSource } from './shared-source.js';
import { compareText } from '../compare-text.js';

export interface FleetElection {
  kc: KubeConfig;
  namespace: string;
  timing: ElectionTiming;
}

export interface FleetOptions {
  version: string;
  replica: string;
  source: SharedSource;
  settings: WorkerSettings;
  /** Process-wide metrics: platformd_info, platformd_leader{platform}, process_*. */
  metrics: Metrics;
  /** Unset: no Leases; this process works on every platform. */
  election?: FleetElection;
  log: (message: string) => void;
}

interface Slot {
  key: string;
  path: string;
  metrics: Metrics;
  elector?: LeaderElector;
  describe?: string;
  campaign?: { abort: AbortController; done: Promise<void> };
  leading: boolean;
  handingBack: boolean;
  removed: boolean;
  /** Aborted when this term of leadership is lost (not handed back): in-flight work stops at once. */
  lost?: AbortController;
  worker?: PlatformWorker;
  /** Worker starts and stops, one after the other. */
  transitions: Promise<void>;
}

export interface PlatformView {
  platform: string;
  path: string;
  leading: boolean;
  leader: LeaderView | null;
  lease?: string;
}

export class Fleet {
  private readonly slots = new Map<string, Slot>();
  private readonly membership?: Membership;
  private reserved = 0;
  private share = 0;
  private timer?: NodeJS.Timeout;
  private ticking?: Promise<void>;
  private stopped = false;

  constructor(private readonly options: FleetOptions) {
    const e = options.election;
    if (e) this.membership = new Membership({ kc: e.kc, namespace: e.namespace, replica: options.replica, timing: e.timing, log: options.log });
  }

  /** Join the fleet: hold the membership Lease and count the replicas before taking any platform. */
  async start(): Promise<void> {
    if (!this.membership || !this.options.election) return;
    this.membership.start();
    const every = this.options.election.timing.retryPeriodMs;
    // NOTE(startup): one retry period before the first count, so replicas started together (a
    // rollout) see each other's membership Leases and do not first take everything, then hand back.
    await new Promise((resolve) => setTimeout(resolve, every).unref());
    await this.tick();
    const loop = () => {
      this.timer = setTimeout(() => { this.ticking = this.tick().finally(() => { if (!this.stopped) loop(); }); }, every);
      this.timer.unref();
    };
    loop();
  }

  /** Follow the glob's matches at a commit: new platforms get a slot, vanished ones are stopped and forgotten. */
  async sync(platforms: Map<string, string>): Promise<void> {
    if (this.stopped) return;
    for (const [key, path] of platforms) {
      const existing = this.slots.get(key);
      if (existing) existing.path = path;
      else this.add(key, path);
    }
    const gone = [...this.slots.values()].filter((s) => !platforms.has(s.key));
    await Promise.all(gone.map((slot) => this.remove(slot)));
    this.share = fairShare(this.slots.size, this.membership?.liveReplicas ?? 1);
  }

  private add(key: string, path: string): void {
    const metrics = createMetrics(this.options.version, this.options.settings.mode, { platform: key });
    // Process-wide series live in the fleet's own registry, once.
    dropProcessFamilies(metrics.registry);
    const slot: Slot = { key, path, metrics, leading: false, handingBack: false, removed: false, transitions: Promise.resolve() };
    this.slots.set(key, slot);
    this.options.log(`platform ${key}: ${path}`);
    const e = this.options.election;
    if (!e) {
      slot.leading = true;
      this.startWorking(slot);
      return;
    }
    this.options.metrics.leader.labels(key).set(0);
    const store = kubeLeaseStore(e.kc, e.namespace, `platformd-${key}`);
    slot.describe = store.describe;
    slot.elector = new LeaderElector({
      store: gatedLeaseStore(store, this.options.replica, () => this.admit()), identity: this.options.replica, ...e.timing,
      onStartedLeading: () => {
        slot.leading = true;
        this.options.metrics.leader.labels(key).set(1);
        this.options.log(`leading platform ${key}: reconciling and probing`);
        this.startWorking(slot);
      },
      onStoppedLeading: (why) => {
        slot.leading = false;
        this.options.metrics.leader.labels(key).set(0);
        if (!slot.handingBack && !this.stopped) {
          slot.lost?.abort(new Error(`leadership of ${key} lost: ${why}`));
          this.options.log(`leadership of ${key} lost: ${why}; stopped working on it`);
        }
        this.stopWorking(slot);
      },
    });
    this.campaign(slot);
  }

  /** An acquisition may go ahead while held + in-flight acquisitions stay under the fair share; returns its release. */
  private admit(): (() => void) | undefined {
    const held = [...this.slots.values()].filter((s) => s.leading && !s.handingBack).length;
    if (this.stopped || held + this.reserved >= this.share) return undefined;
    this.reserved++;
    return () => { this.reserved--; };
  }

  private campaign(slot: Slot): void {
    const abort = new AbortController();
    slot.campaign = { abort, done: slot.elector!.run(abort.signal) };
  }

  private startWorking(slot: Slot): void {
    slot.transitions = slot.transitions.then(() => {
      if (!slot.leading || slot.removed || this.stopped || slot.worker) return;
      const lost = new AbortController();
      slot.lost = lost;
      const elector = slot.elector;
      slot.worker = startWorker({ platform: slot.key, source: this.options.source.forPlatform(slot.path), metrics: slot.metrics, settings: this.options.settings,
        fence: elector ? () => elector.assertLeader() : undefined, lost: lost.signal });
    });
  }

  private stopWorking(slot: Slot): Promise<void> {
    slot.transitions = slot.transitions.then(async () => {
      const worker = slot.worker;
      slot.worker = undefined;
      await worker?.stop();
    }).catch((err: unknown) => this.options.log(`stopping platform ${slot.key} failed: ${describeError(err)}`));
    return slot.transitions;
  }

  /** Stop working on a platform, then release its Lease (never the other way round: no overlap with the successor). */
  private async handBack(slot: Slot, campaignAgain: boolean): Promise<void> {
    slot.handingBack = true;
    try {
      await this.stopWorking(slot);
      slot.campaign?.abort.abort();
      await slot.campaign?.done; // run() releases the Lease on its way out
      if (campaignAgain && !this.stopped && !slot.removed) this.campaign(slot);
    } finally {
      slot.handingBack = false;
    }
  }

  private async remove(slot: Slot): Promise<void> {
    slot.removed = true;
    this.slots.delete(slot.key);
    this.options.log(`platform ${slot.key} left the fleet (${slot.path} no longer matches)`);
    if (slot.elector) await this.handBack(slot, false);
    else await this.stopWorking(slot);
    this.options.metrics.leader.remove(slot.key);
    slot.metrics.close();
  }

  /** Re-count live replicas and hand surplus platforms back. */
  private async tick(): Promise<void> {
    if (!this.membership || this.stopped) return;
    const live = await this.membership.refresh();
    this.share = fairShare(this.slots.size, live);
    const held = [...this.slots.values()].filter((s) => s.leading && !s.handingBack).map((s) => s.key);
    const extra = surplus(held, this.share, this.options.replica);
    for (const key of extra) {
      const slot = this.slots.get(key)!;
      this.options.log(`handing platform ${key} back: holding ${held.length} of ${this.slots.size} platforms with ${live} live replicas (fair share ${this.share})`);
      void this.handBack(slot, true);
    }
  }

  /** Every platform, in key order, as this replica sees it. */
  platforms(): PlatformView[] {
    return [...this.slots.values()].sort((a, b) => compareText(a.key, b.key)).map((s) => ({
      platform: s.key, path: s.path, leading: s.leading,
      leader: s.elector ? s.elector.leader() ?? null : null,
      ...(s.describe ? { lease: s.describe } : {}),
    }));
  }

  /** The worker of a platform this replica works on now. */
  worker(key: string): PlatformWorker | undefined {
    return this.slots.get(key)?.worker;
  }

  has(key: string): boolean {
    return this.slots.has(key);
  }

  /** Per-platform registries, for /metrics. */
  registries(): Metrics['registry'][] {
    return [...this.slots.values()].map((s) => s.metrics.registry);
  }

  get liveReplicas(): number {
    return this.membership?.liveReplicas ?? 1;
  }

  get fairShare(): number {
    return this.membership ? this.share : this.slots.size;
  }

  get size(): number {
    return this.slots.size;
  }

  /** Stop every worker, release every Lease (platforms, then membership). */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.ticking;
    await Promise.all([...this.slots.values()].map(async (slot) => {
      if (slot.elector) await this.handBack(slot, false);
      else await this.stopWorking(slot);
      slot.metrics.close();
    }));
    await this.membership?.stop();
  }
}
