// EKS state per account and region: clusters, node groups, add-ons, access entries, with the
// real statuses on the scaled clock (CREATING → ACTIVE, UPDATING, DELETING), advanced lazily.
import { randomBytes } from 'node:crypto';
import type { ScaledClock } from '../../../clock.js';

export interface HealthIssue { code: string; message: string; resourceIds?: string[] }
export interface Update { id: string; status: 'InProgress' | 'Successful' | 'Failed'; type: string; params: { type: string; value: string }[]; createdAt: Date; doneAt: number; apply: () => void; errors: HealthIssue[] }

export interface Cluster {
  name: string; arn: string; version: string; roleArn: string; status: 'CREATING' | 'ACTIVE' | 'DELETING' | 'FAILED' | 'UPDATING'; createdAt: Date;
  readyAt: number; deletedAt?: number; vpcConfig: { subnetIds: string[]; securityGroupIds: string[]; endpointPublicAccess: boolean; endpointPrivateAccess: boolean; publicAccessCidrs: string[]; vpcId?: string };
  authenticationMode: string; oidcId: string; endpoint?: string; caData?: string; provisioning?: boolean; tags: Record<string, string>; health: HealthIssue[]; updates: Update[]; platformVersion: string;
  /** upgradePolicy.supportType: STANDARD | EXTENDED. */
  supportType: string;
}
export interface Nodegroup {
  clusterName: string; name: string; arn: string; status: 'CREATING' | 'ACTIVE' | 'UPDATING' | 'DELETING' | 'CREATE_FAILED' | 'DELETE_FAILED' | 'DEGRADED';
  version: string; releaseVersion: string; nodeRole: string; subnets: string[]; instanceTypes: string[]; scaling: { minSize: number; maxSize: number; desiredSize: number };
  labels: Record<string, string>; taints: { key: string; value?: string; effect: string }[]; diskSize: number; amiType: string; capacityType: string;
  tags: Record<string, string>; createdAt: Date; modifiedAt: Date; readyAt: number; deletedAt?: number; health: HealthIssue[]; updates: Update[];
}
export interface Addon {
  clusterName: string; name: string; arn: string; version: string; status: 'CREATING' | 'ACTIVE' | 'CREATE_FAILED' | 'UPDATING' | 'DELETING' | 'DELETE_FAILED' | 'DEGRADED' | 'UPDATE_FAILED';
  serviceAccountRoleArn?: string; tags: Record<string, string>; createdAt: Date; modifiedAt: Date; readyAt: number; deletedAt?: number; health: HealthIssue[]; updates: Update[];
}
export interface AccessEntry {
  clusterName: string; principalArn: string; arn: string; type: string; username: string; kubernetesGroups: string[]; tags: Record<string, string>;
  createdAt: Date; policies: Map<string, { scope: { type: string; namespaces?: string[] }; associatedAt: Date }>;
}

/** Real-AWS durations, scaled by the clock. */
export const TIMINGS = {
  clusterCreateMs: 10 * 60_000,
  clusterDeleteMs: 5 * 60_000,
  clusterVersionUpdateMs: 8 * 60_000,
  clusterConfigUpdateMs: 2 * 60_000,
  nodegroupCreateMs: 4 * 60_000,
  nodegroupUpdateMs: 3 * 60_000,
  nodegroupDeleteMs: 4 * 60_000,
  addonCreateMs: 90_000,
  addonUpdateMs: 60_000,
  addonDeleteMs: 60_000,
};

export const hex = (n: number) => randomBytes(n).toString('hex');

export class EksState {
  readonly clusters = new Map<string, Cluster>();
  readonly nodegroups = new Map<string, Nodegroup>();
  readonly addons = new Map<string, Addon>();
  readonly accessEntries = new Map<string, AccessEntry>();
  /** clientRequestToken → the response first given for it. */
  readonly tokens = new Map<string, unknown>();
  /** Called when a cluster turns ACTIVE (the sandbox starts its API server) or is gone. */
  onClusterActive?: (c: Cluster) => void;
  onNodegroupChanged?: (n: Nodegroup, deleted: boolean) => void;

  constructor(readonly accountId: string, readonly region: string, readonly clock: ScaledClock) {}

  /** Advance every status whose deadline has passed. */
  settle(): void {
    const now = this.clock.now();
    const finishUpdates = (updates: Update[]) => {
      for (const u of updates) if (u.status === 'InProgress' && now >= u.doneAt) {
        u.apply();
        u.status = 'Successful';
      }
    };
    for (const [name, c] of this.clusters) {
      if (c.status === 'CREATING' && now >= c.readyAt) {
        // With an API server behind it the cluster turns ACTIVE once that server answers.
        if (this.onClusterActive && !c.endpoint) {
          if (!c.provisioning) {
            c.provisioning = true;
            this.onClusterActive(c);
          }
        } else {
          c.status = 'ACTIVE';
        }
      }
      if (c.status === 'UPDATING' && now >= c.readyAt) {
        finishUpdates(c.updates);
        c.status = 'ACTIVE';
      }
      if (c.status === 'DELETING' && c.deletedAt !== undefined && now >= c.deletedAt) this.clusters.delete(name);
    }
    const anyNodes = (cluster: string) => [...this.nodegroups.values()].some((n) => n.clusterName === cluster && (n.status === 'ACTIVE' || n.status === 'UPDATING'));
    for (const [key, n] of this.nodegroups) {
      if ((n.status === 'CREATING' || n.status === 'UPDATING') && now >= n.readyAt) {
        finishUpdates(n.updates);
        n.status = 'ACTIVE';
        n.modifiedAt = new Date();
        this.onNodegroupChanged?.(n, false);
      }
      if (n.status === 'DELETING' && n.deletedAt !== undefined && now >= n.deletedAt) {
        this.nodegroups.delete(key);
        this.onNodegroupChanged?.(n, true);
      }
    }
    for (const [key, a] of this.addons) {
      if ((a.status === 'CREATING' || a.status === 'UPDATING' || a.status === 'DEGRADED') && now >= a.readyAt) {
        finishUpdates(a.updates);
        // coredns needs schedulable nodes: without an active node group it stays DEGRADED.
        if (a.name === 'coredns' && !anyNodes(a.clusterName)) {
          a.status = 'DEGRADED';
          a.health = [{ code: 'InsufficientNumberOfReplicas', message: 'The add-on is unhealthy because it doesn\'t have the desired number of replicas.' }];
        } else {
          a.status = 'ACTIVE';
          a.health = [];
        }
      }
      if (a.status === 'DELETING' && a.deletedAt !== undefined && now >= a.deletedAt) this.addons.delete(key);
    }
  }
}

export const key2 = (a: string, b: string) => `${a}/${b}`;
