// The Lease a leader election holds, read and written the way client-go's resourcelock.LeaseLock
// does (k8s.io/client-go/tools/leaderelection/resourcelock/leaselock.go): Get, Create, and Update
// carrying the resourceVersion of the Get, so the API server's optimistic concurrency decides a
// race — a 409 Conflict means another candidate wrote first.
import { request } from 'node:https';
import { readFileSync } from 'node:fs';
import { KubeConfig } from '@kubernetes/client-node';
import { ErrorCodes, PlatformdError } from '../errors.js';
import { classifyKubeError } from '../cloud/kube-errors.js';

/** coordination.k8s.io/v1 LeaseSpec as leader election uses it (client-go's LeaderElectionRecord). */
export interface LeaseRecord {
  /** Who holds the lease; empty when released (anyone may take it at once). */
  holderIdentity: string;
  leaseDurationSeconds: number;
  /** Epoch milliseconds. */
  acquireTime: number;
  renewTime: number;
  leaseTransitions: number;
}

export interface ObservedLease {
  record: LeaseRecord;
  resourceVersion: string;
}

/** Where the lease lives. `update` must send `resourceVersion` and fail with LeaseConflictError on 409. */
export interface LeaseStore {
  /** Human description for logs ("namespace/name on https://…"). */
  readonly describe: string;
  get(): Promise<ObservedLease | undefined>;
  create(record: LeaseRecord): Promise<ObservedLease>;
  update(record: LeaseRecord, resourceVersion: string): Promise<ObservedLease>;
}

/** Another candidate changed (or created) the Lease first: the API server answered 409. */
export class LeaseConflictError extends PlatformdError {
  constructor(message: string) {
    super(ErrorCodes.LEASE_CONFLICT, message);
  }
}

/**
 * MicroTime (metav1.MicroTime) is RFC 3339 with exactly six fractional digits: the API server
 * parses it with time.RFC3339Micro-like layout "2006-01-02T15:04:05.000000Z07:00"
 * (k8s.io/apimachinery/pkg/apis/meta/v1/micro_time.go), so JavaScript's milliseconds are padded.
 */
export function microTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}

interface WireLease {
  metadata?: { resourceVersion?: string };
  spec?: { holderIdentity?: string; leaseDurationSeconds?: number; acquireTime?: string; renewTime?: string; leaseTransitions?: number };
}

/** LeaseSpecToLeaderElectionRecord (leaselock.go). */
function fromWire(lease: WireLease): ObservedLease {
  const s = lease.spec ?? {};
  return {
    record: { holderIdentity: s.holderIdentity ?? '', leaseDurationSeconds: s.leaseDurationSeconds ?? 0, leaseTransitions: s.leaseTransitions ?? 0,
      acquireTime: s.acquireTime ? Date.parse(s.acquireTime) : 0, renewTime: s.renewTime ? Date.parse(s.renewTime) : 0 },
    resourceVersion: lease.metadata?.resourceVersion ?? '',
  };
}

/** LeaderElectionRecordToLeaseSpec (leaselock.go). */
function toWireSpec(r: LeaseRecord): NonNullable<WireLease['spec']> {
  return { holderIdentity: r.holderIdentity, leaseDurationSeconds: r.leaseDurationSeconds, acquireTime: microTime(r.acquireTime), renewTime: microTime(r.renewTime), leaseTransitions: r.leaseTransitions };
}

/** Kubernetes client settings: a kubeconfig file, or the pod's service account (in-cluster). */
export function loadKubeConfig(kubeconfigFile: string | undefined): KubeConfig {
  const kc = new KubeConfig();
  if (kubeconfigFile) kc.loadFromFile(kubeconfigFile);
  else kc.loadFromCluster();
  return kc;
}

/** The namespace to keep Leases in: the pod's own when in-cluster, else `default`. */
export function defaultLeaseNamespace(): string {
  try {
    return readFileSync('/var/run/secrets/kubernetes.io/serviceaccount/namespace', 'utf8').trim() || 'default';
  } catch {
    return 'default';
  }
}

/** A LeaseStore for `namespace/name` on the cluster `kc` points at. Requests time out after `timeoutMs`. */
export function kubeLeaseStore(kc: KubeConfig, namespace: string, name: string, timeoutMs = 5_000): LeaseStore {
  const server = kc.getCurrentCluster()?.server;
  if (!server) throw new PlatformdError(ErrorCodes.KUBE_AUTH, 'the kubeconfig for leases names no cluster');
  const collection = `/apis/coordination.k8s.io/v1/namespaces/${encodeURIComponent(namespace)}/leases`;
  const call = async (method: string, path: string, body?: unknown): Promise<WireLease | undefined> => {
    const url = new URL(path, server);
    const opts: Parameters<typeof request>[1] = { method, headers: { accept: 'application/json', ...(body ? { 'content-type': 'application/json' } : {}) }, timeout: timeoutMs };
    await kc.applyToHTTPSOptions(opts);
    return new Promise((resolve, reject) => {
      const req = request(url, opts, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', reject);
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          const code = res.statusCode ?? 0;
          if (code >= 200 && code < 300) return resolve(JSON.parse(text) as WireLease);
          const errorClass = classifyKubeError({ statusCode: code, body: text });
          if (errorClass === 'notFound' && method === 'GET') return resolve(undefined);
          // A create that raced another candidate (AlreadyExists) or an update on a stale resourceVersion.
          if (errorClass === 'conflict' || errorClass === 'alreadyExists') return reject(new LeaseConflictError(`lease ${namespace}/${name}: ${messageOf(text)}`));
          reject(new PlatformdError(ErrorCodes.LEASE_API, `lease ${namespace}/${name}: ${method} answered ${code}: ${messageOf(text)}`));
        });
      });
      req.on('timeout', () => req.destroy(new Error(`lease ${namespace}/${name}: ${method} timed out after ${timeoutMs} ms`)));
      req.on('error', reject);
      req.end(body ? JSON.stringify(body) : undefined);
    });
  };
  const lease = (spec: NonNullable<WireLease['spec']>, resourceVersion?: string) =>
    ({ apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name, namespace, ...(resourceVersion ? { resourceVersion } : {}) }, spec });
  return {
    describe: `${namespace}/${name} on ${server}`,
    async get() {
      const got = await call('GET', `${collection}/${encodeURIComponent(name)}`);
      return got ? fromWire(got) : undefined;
    },
    async create(record) {
      return fromWire((await call('POST', collection, lease(toWireSpec(record))))!);
    },
    async update(record, resourceVersion) {
      return fromWire((await call('PUT', `${collection}/${encodeURIComponent(name)}`, lease(toWireSpec(record), resourceVersion)))!);
    },
  };
}

function messageOf(body: string): string {
  try {
    return (JSON.parse(body) as { message?: string }).message ?? body.slice(0, 200);
  } catch {
    return body.slice(0, 200);
  }
}
