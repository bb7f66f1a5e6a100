// EKS state per account and region: clusters, node groups, add-ons, access entries, with the
// real statuses on the scaled clock (CREATING → ACTIVE, UPDATING, DELETING), advanced lazily.
import { randomBytes, randomUUID } from 'node:crypto';
import type { ScaledClock } from '../../../clock.js';
import type { ClusterSettings } from './cluster-settings.js';

export interface HealthIssue { code: string; message: string; resourceIds?: string[] }
export interface Update { id: string; status: 'InProgress' | 'Successful' | 'Failed'; type: string; params: { type: string; value: string }[]; createdAt: Date; doneAt: number; apply: () => void; errors: HealthIssue[] }

export interface Cluster extends ClusterSettings {
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
  /** When an add-on that needs nodes gives up waiting for them (CREATING/UPDATING → DEGRADED). */
  degradesAt: number;
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
  // An add-on that needs nodes and finds none stays CREATING until about EKS's 20-minute mark,
  // then turns DEGRADED: Terraform's 20-minute waiter still sees CREATING
  // (terraform-aws-modules/terraform-aws-eks#2596, #2069), Pulumi's sees DEGRADED at 20 minutes
  // (pulumi/pulumi-eks#1819), eksctl sees DEGRADED after its 25 (eksctl-io/eksctl#4607).
  addonNoNodesDegradedMs: 20 * 60_000,
};

/**
 * Add-ons whose pods are a Deployment and need nodes; DaemonSet add-ons are healthy with none.
 * CoreDNS: "When you launch an Amazon EKS cluster with at least one node, two replicas of the
 * CoreDNS image are deployed" (https://docs.aws.amazon.com/eks/latest/userguide/managing-coredns.html);
 * without nodes it never turns ACTIVE (terraform-aws-modules/terraform-aws-eks#3001) and recovers
 * once nodes join (eksctl-io/eksctl#5458: "The addon will still degrade but it will recover once
 * there are nodegroups again").
 */
const ADDONS_NEEDING_NODES: readonly string[] = ['coredns'];

/** The health issue EKS reports for an add-on without its replicas (AddonIssueCode). */
const INSUFFICIENT_REPLICAS: HealthIssue = {
  code: 'InsufficientNumberOfReplicas', message: 'The add-on is unhealthy because it doesn\'t have the desired number of replicas.',
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
    // Ready nodes: a managed node group is ACTIVE once its instances joined the cluster; one scaled
    // to zero has none.
    const anyNodes = (cluster: string) => [...this.nodegroups.values()].some((n) => n.clusterName === cluster
      && (n.status === 'ACTIVE' || n.status === 'UPDATING') && n.scaling.desiredSize > 0);
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
        if (!ADDONS_NEEDING_NODES.includes(a.name) || anyNodes(a.clusterName)) {
          a.status = 'ACTIVE';
          a.health = [];
        } else if (a.status !== 'DEGRADED' && now >= a.degradesAt) {
          a.status = 'DEGRADED';
          a.health = [INSUFFICIENT_REPLICAS];
        }
      }
      if (a.status === 'DELETING' && a.deletedAt !== undefined && now >= a.deletedAt) this.addons.delete(key);
    }
  }
}

export const key2 = (a: string, b: string) => `${a}/${b}`;

/**
 * An access entry's ARN as EKS forms it: access-entry/<cluster>/<role|user>/<account>/<name>/<uuid>
 * (the access-entry resource type, https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonelastickubernetesservice.html).
 */
export function accessEntryArn(region: string, accountId: string, cluster: string, principalArn: string): string {
  const m = /^arn:aws:iam::(\d{12}):(role|user)\/(?:.*\/)?([^/]+)$/.exec(principalArn);
  const [type, account, name] = m ? [m[2], m[1], m[3]] : ['role', accountId, principalArn.split('/').pop() ?? 'unknown'];
  return `arn:aws:eks:${region}:${accountId}:access-entry/${cluster}/${type}/${account}/${name}/${randomUUID()}`;
}
