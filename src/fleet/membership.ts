// Live replicas without a coordinator: each replica holds a membership Lease of its own
// (`platformd-replica-<id>`, renewed by a LeaderElector like any other Lease and released on
// stop) and counts the unexpired ones in the namespace. Expiry is judged as client-go judges a
// leader's: by when this replica last saw the record change, on its own clock, so clock skew
// between replicas does not matter; a record first seen counts while its renewTime is fresh.
import { request } from 'node:https';
import type { KubeConfig } from '@kubernetes/client-node';
import { LeaderElector, type ElectionTiming } from '../leader/elector.js';
import { kubeLeaseStore } from '../leader/lease-store.js';
import { ErrorCodes, PlatformdError, describeError } from '../errors.js';
import { isLive } from './fair-share.js';

export const MEMBERSHIP_PREFIX = 'platformd-replica-';

interface ListedLease {
  name: string;
  holderIdentity: string;
  renewTime: number;
  leaseDurationSeconds: number;
}

/** Every Lease in `namespace` whose name starts with `prefix` (one List call). */
export async function listLeases(kc: KubeConfig, namespace: string, prefix: string, timeoutMs = 5_000): Promise<ListedLease[]> {
  const server = kc.getCurrentCluster()?.server;
  if (!server) throw new PlatformdError(ErrorCodes.KUBE_AUTH, 'the kubeconfig for leases names no cluster');
  const url = new URL(`/apis/coordination.k8s.io/v1/namespaces/${encodeURIComponent(namespace)}/leases`, server);
  const opts: Parameters<typeof request>[1] = { method: 'GET', headers: { accept: 'application/json' }, timeout: timeoutMs };
  await kc.applyToHTTPSOptions(opts);
  const text = await new Promise<string>((resolve, reject) => {
    const req = request(url, opts, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', reject);
      res.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        if ((res.statusCode ?? 0) !== 200) reject(new PlatformdError(ErrorCodes.LEASE_API, `listing leases in ${namespace} answered ${res.statusCode}: ${body.slice(0, 200)}`));
        else resolve(body);
      });
    });
    req.on('timeout', () => req.destroy(new Error(`listing leases in ${namespace} timed out after ${timeoutMs} ms`)));
    req.on('error', reject);
    req.end();
  });
  type Wire = { metadata?: { name?: string }; spec?: { holderIdentity?: string; renewTime?: string; leaseDurationSeconds?: number } };
  const items = (JSON.parse(text) as { items?: Wire[] }).items ?? [];
  return items.filter((i) => (i.metadata?.name ?? '').startsWith(prefix)).map((i) => ({
    name: i.metadata!.name!, holderIdentity: i.spec?.holderIdentity ?? '', renewTime: i.spec?.renewTime ? Date.parse(i.spec.renewTime) : 0, leaseDurationSeconds: i.spec?.leaseDurationSeconds ?? 0,
  }));
}

/** The membership Lease name of a replica (a DNS subdomain, at most 253 characters). */
export function membershipLeaseName(replica: string): string {
  return `${MEMBERSHIP_PREFIX}${replica.toLowerCase().replace(/[^a-z0-9.-]+/g, '-').replace(/^[-.]+|[-.]+$/g, '')}`.slice(0, 253);
}

export class Membership {
  private readonly elector: LeaderElector;
  private readonly campaign = new AbortController();
  private running?: Promise<void>;
  /** name → the record's renewTime as last seen and when (our clock) it was first seen so. */
  private readonly seen = new Map<string, { renewTime: number; at: number; durationMs: number; holder: string }>();
  private live = 1;

  constructor(private readonly options: { kc: KubeConfig; namespace: string; replica: string; timing: ElectionTiming; log: (message: string) => void; now?: () => number }) {
    const store = kubeLeaseStore(options.kc, options.namespace, membershipLeaseName(options.replica));
    this.elector = new LeaderElector({ store, identity: options.replica, ...options.timing });
  }

  /** Start holding the membership Lease (renewed every retry period until stop()). */
  start(): void {
    this.running = this.elector.run(this.campaign.signal);
  }

  /** Re-count live replicas (one List call); keeps the last count when the List fails. At least 1 (this one). */
  async refresh(): Promise<number> {
    const now = (this.options.now ?? Date.now)();
    try {
      const leases = await listLeases(this.options.kc, this.options.namespace, MEMBERSHIP_PREFIX);
      let live = 0;
      const names = new Set<string>();
      for (const lease of leases) {
        names.add(lease.name);
        const before = this.seen.get(lease.name);
        const changed = !before || before.renewTime !== lease.renewTime || before.holder !== lease.holderIdentity;
        // A record seen for the first time counts only if its own renewTime is fresh.
        const at = changed ? (before || isLive(lease, now) ? now : 0) : before.at;
        this.seen.set(lease.name, { renewTime: lease.renewTime, at, durationMs: lease.leaseDurationSeconds * 1000, holder: lease.holderIdentity });
        if (lease.holderIdentity !== '' && at + lease.leaseDurationSeconds * 1000 > now) live++;
      }
      for (const name of [...this.seen.keys()]) if (!names.has(name)) this.seen.delete(name);
      const mine = leases.some((l) => l.name === membershipLeaseName(this.options.replica) && l.holderIdentity === this.options.replica);
      this.live = Math.max(1, live + (mine ? 0 : 1));
    } catch (err) {
      this.options.log(`counting live replicas failed (keeping ${this.live}): ${describeError(err)}`);
    }
    return this.live;
  }

  /** The last count of live replicas, this one included. */
  get liveReplicas(): number {
    return this.live;
  }

  /** Stop renewing and release the membership Lease, so the others re-balance at once. */
  async stop(): Promise<void> {
    this.campaign.abort();
    await this.running;
  }
}
