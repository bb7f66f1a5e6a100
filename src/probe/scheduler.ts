// Probes run on their own timers, independent of reconciling: each target every interval, never
// two at once for the same target. start() returns stop(); timers are unref'd.
import type { Metrics } from '../metrics.js';
import { Channels, type ChannelOptions } from './channels.js';
import { probeOnce, type ProbeResult } from './grpc-probe.js';
import type { ResolvedSpec } from '../platform-spec/resolved.js';
import { probeTargets, type ProbeTarget } from './targets.js';

export interface ProberOptions extends ChannelOptions {
  metrics?: Metrics;
  onResult?: (r: ProbeResult, target: ProbeTarget) => void;
  /** A service is no longer probed (it left the spec or lost its probe). */
  onForget?: (service: string) => void;
}

export class Prober {
  private readonly channels: Channels;
  private timers = new Map<string, NodeJS.Timeout>();
  private targets: ProbeTarget[] = [];
  private protosDir = '';
  private stopped = false;
  private spec?: { spec: ResolvedSpec; protosDir: string; port: number };
  private albDnsNames: ReadonlyMap<string, string> = new Map();

  constructor(private readonly options: ProberOptions = {}) {
    this.channels = new Channels(options);
  }

  /** Probe the services of this spec (its targets come from it and the ALB names last read back). */
  setSpec(spec: ResolvedSpec, protosDir: string, port = 443): void {
    this.spec = { spec, protosDir, port };
    this.setTargets(probeTargets(spec, port, this.albDnsNames), protosDir);
  }

  /**
   * The ALB DNS names by ingress group, as the last plan read them back: services beyond the
   * domain's ALB are probed through their own group's ALB once its name is known.
   */
  setLoadBalancers(albDnsNames: ReadonlyMap<string, string>): void {
    const same = albDnsNames.size === this.albDnsNames.size && [...albDnsNames].every(([g, n]) => this.albDnsNames.get(g) === n);
    this.albDnsNames = new Map(albDnsNames);
    if (!same && this.spec) this.setTargets(probeTargets(this.spec.spec, this.spec.port, this.albDnsNames), this.spec.protosDir);
  }

  /**
   * Replace the probed targets (a new spec): unchanged targets keep their timers; a service no
   * longer probed loses its timer and every series at once, so an alert on its last result
   * resolves instead of firing forever. A probe of it still in flight is dropped when it returns.
   */
  setTargets(targets: ProbeTarget[], protosDir: string): void {
    this.protosDir = protosDir;
    const services = new Set(targets.map((t) => t.service));
    for (const gone of this.targets.filter((t) => !services.has(t.service))) {
      this.options.metrics?.forgetProbedService(gone.service);
      this.options.onForget?.(gone.service);
    }
    const key = (t: ProbeTarget) => JSON.stringify(t);
    const keep = new Set(targets.map(key));
    for (const [k, timer] of this.timers) if (!keep.has(k)) {
      clearTimeout(timer);
      this.timers.delete(k);
    }
    this.targets = targets;
    for (const t of targets) if (!this.timers.has(key(t))) this.schedule(t, key(t), 0);
    const m = this.options.metrics;
    for (const t of targets) {
      m?.probes.labels(t.service, 'success').inc(0);
      m?.probes.labels(t.service, 'failure').inc(0);
    }
  }

  private schedule(t: ProbeTarget, k: string, delay: number): void {
    if (this.stopped) return;
    const timer = setTimeout(async () => {
      const r = await probeOnce(this.channels, this.protosDir, t);
      if (!this.timers.has(k) || this.stopped) return;
      this.record(t, r);
      this.schedule(t, k, Math.max(0, t.intervalMs - r.durationMs));
    }, delay);
    timer.unref();
    this.timers.set(k, timer);
  }

  private record(t: ProbeTarget, r: ProbeResult): void {
    const m = this.options.metrics;
    if (m) {
      m.probeSuccess.labels(t.service).set(r.success ? 1 : 0);
      m.probeDuration.labels(t.service).set(r.durationMs / 1000);
      m.probeStatusCode.labels(t.service).set(r.code);
      m.probeLatency.labels(t.service).observe(r.durationMs / 1000);
      m.probes.labels(t.service, r.success ? 'success' : 'failure').inc();
    }
    this.options.onResult?.(r, t);
  }

  stop(): void {
    this.stopped = true;
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
    this.channels.close();
  }
}
