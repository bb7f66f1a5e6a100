// Access to the platform's Kubernetes cluster the way EKS requires: endpoint and CA from
// DescribeCluster, a bearer token made from a presigned STS request for that cluster, refreshed
// before it expires (and once more on a 401). No kubeconfig file is needed.
import { DescribeClusterCommand, type Cluster } from '@aws-sdk/client-eks';
import { Agent as HttpsAgent } from 'node:https';
import { KubeConfig, KubernetesObjectApi } from '@kubernetes/client-node';
import type { RequestContext } from '@kubernetes/client-node';
import type { AwsClients } from './aws.js';
import { recordApiCall } from './api-calls.js';
import { checkFence } from './fence.js';
import { classifyKubeError } from './kube-errors.js';
import { eksToken, type EksToken } from './eks-token.js';
import { describeClusterOnce, type RunMemo } from './eks-cluster-read.js';
import { WatchedLists } from './kube-watch.js';
import { ErrorCodes, PlatformdError } from '../errors.js';

export interface KubeAccess {
  /** A generic object client for the cluster; throws PLATFORMD_KUBE_AUTH when unreachable. */
  objects(): Promise<KubernetesObjectApi>;
  /** Whether the cluster can be reached at all (it exists and is ACTIVE). */
  available(): Promise<boolean>;
  /** Drop the cached token (after a 401) so the next objects() signs a fresh one. */
  invalidate?(): void;
  /**
   * This access as one run sees it: the cluster is described once per run, through the run's
   * shared reads (the eks/cluster kind's DescribeCluster of the same name answers both).
   */
  forRun?(memo: RunMemo): KubeAccess;
  /** A daemon's watched lists (kube-watch.ts); absent for one-shot commands, which list every time. */
  watched?: WatchedLists;
}

/** A KubeAccess for runs that never reach a cluster (network-only plans). */
export const noKube: KubeAccess = {
  async objects() {
    throw new PlatformdError(ErrorCodes.KUBE_AUTH, 'no Kubernetes cluster is configured for this run');
  },
  async available() {
    return false;
  },
};

/** Refresh this long before the token's own expiry. */
const REFRESH_MARGIN_MS = 60_000;

/** Count every call of the generic client for metrics and benchmarks; tell `onWrite` of every write. */
function counted(api: KubernetesObjectApi, onWrite?: (apiVersion: string, kind: string) => void): KubernetesObjectApi {
  return new Proxy(api, {
    get(target, prop, receiver) {
      const v = Reflect.get(target, prop, receiver);
      if (typeof v !== 'function' || !['create', 'read', 'list', 'patch', 'replace', 'delete'].includes(String(prop))) return v;
      return async (...args: unknown[]) => {
        const kind = prop === 'list' ? args[1] : (args[0] as { kind?: string } | undefined)?.kind;
        if (['create', 'patch', 'replace', 'delete'].includes(String(prop))) {
          checkFence(); // fence.ts
          // Before the call: a write whose answer is lost has still maybe happened.
          const target = args[0] as { apiVersion?: string; kind?: string } | undefined;
          if (target?.apiVersion && target.kind) onWrite?.(target.apiVersion, target.kind);
        }
        const started = performance.now();
        try {
          const out = await v.apply(target, args);
          recordApiCall({ service: 'kubernetes', operation: `${String(prop)} ${kind}`, outcome: 'success', durationMs: performance.now() - started });
          return out;
        } catch (err) {
          recordApiCall({ service: 'kubernetes', operation: `${String(prop)} ${kind}`, outcome: classifyKubeError(err) === 'throttled' ? 'throttled' : 'error', durationMs: performance.now() - started });
          throw err;
        }
      };
    },
  });
}

/**
 * A KubeConfig whose requests all share one keep-alive agent. client-node 1.x makes a new
 * https.Agent (keepAlive off) in applySecurityAuthentication for every request, so each call paid
 * a TCP connect and a full TLS handshake (~1230 of them applying 300 services; issue 19).
 */
class SharedAgentKubeConfig extends KubeConfig {
  constructor(private readonly agent: HttpsAgent) {
    super();
  }

  override async applySecurityAuthentication(context: RequestContext): Promise<void> {
    await super.applySecurityAuthentication(context);
    context.setAgent(this.agent);
  }

  /** Watches (kube-watch.ts) go through the same agent: one TLS setup cache, no agent per watch. */
  override async applyToFetchOptions(opts: Parameters<KubeConfig['applyToFetchOptions']>[0]): ReturnType<KubeConfig['applyToFetchOptions']> {
    return { ...(await super.applyToFetchOptions(opts)), agent: this.agent };
  }
}

export interface KubeAccessOptions {
  /** Keep the managed kinds' lists current by watching (a daemon), instead of listing every run. */
  watch?: boolean;
}

/** Cluster access for an EKS cluster platformd manages (or merely knows by name). */
export function eksKubeAccess(aws: AwsClients, clusterName: string, options: KubeAccessOptions = {}): KubeAccess {
  let cluster: { endpoint: string; caData: string; agent: HttpsAgent } | undefined;
  let token: EksToken | undefined;
  let api: KubernetesObjectApi | undefined;
  let config: KubeConfig | undefined;
  const watched = options.watch ? new WatchedLists(async () => {
    await access(describeNow).objects();
    return config!;
  }) : undefined;
  const reachable = (c: Cluster | undefined) => (c?.status === 'ACTIVE' || c?.status === 'UPDATING' ? c : undefined);
  // Outside a run (forRun) every call asks EKS: no time-based cache, so how many calls a run makes
  // never depends on how fast the machine is (issue 19).
  const describeNow = async () => reachable((await aws.eks.send(new DescribeClusterCommand({ name: clusterName }))).cluster);
  const access = (describe: () => Promise<Cluster | undefined>): KubeAccess => ({
    async available() {
      try {
        return Boolean((await describe())?.endpoint);
      } catch {
        return false;
      }
    },
    invalidate() {
      token = undefined;
      api = undefined;
    },
    async objects() {
      if (!cluster) {
        const c = await describe().catch(() => undefined);
        if (!c?.endpoint || !c.certificateAuthority?.data) throw new PlatformdError(ErrorCodes.KUBE_AUTH, `EKS cluster ${clusterName} is not reachable yet (no ACTIVE endpoint)`);
        // One agent per cluster endpoint, kept across token refreshes (the token is a header).
        const agent = new HttpsAgent({ keepAlive: true, ca: Buffer.from(c.certificateAuthority.data, 'base64') });
        cluster = { endpoint: c.endpoint, caData: c.certificateAuthority.data, agent };
      }
      if (!api || !token || Date.now() > token.expiresAt - REFRESH_MARGIN_MS) {
        token = await eksToken(aws.sts, clusterName);
        const kc = new SharedAgentKubeConfig(cluster.agent);
        kc.loadFromOptions({
          clusters: [{ name: clusterName, server: cluster.endpoint, caData: cluster.caData, skipTLSVerify: false }],
          users: [{ name: 'platformd', token: token.token }],
          contexts: [{ name: clusterName, cluster: clusterName, user: 'platformd' }],
          currentContext: clusterName,
        });
        config = kc;
        api = counted(KubernetesObjectApi.makeApiClient(kc), (apiVersion, kind) => watched?.written(apiVersion, kind));
      }
      return api;
    },
    forRun: (memo) => access(async () => reachable(await describeClusterOnce(aws, memo, clusterName))),
    ...(watched ? { watched } : {}),
  });
  return access(describeNow);
}
