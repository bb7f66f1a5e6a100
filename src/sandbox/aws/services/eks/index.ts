// The emulated EKS service (restJson1, signing name eks): clusters, node groups, add-ons and their
// versions, access entries. Clusters turn ACTIVE on the scaled clock and then report the endpoint
// and CA of an emulated Kubernetes API server when the sandbox provides one.
import { restJsonCodec, type RestRoute } from '../../protocol/rest-json.js';
import type { ScaledClock } from '../../../clock.js';
import type { EmulatedService, OperationHandler } from '../../service.js';
import type { EksDeps, EksHooks } from './deps.js';
import { clusterOperations } from './ops-clusters.js';
import { nodegroupOperations } from './ops-nodegroups.js';
import { accessOperations } from './ops-access.js';
import { EksState, type Cluster, type HealthIssue } from './state.js';

const ROUTES: RestRoute[] = [
  { method: 'POST', path: '/clusters', operation: 'CreateCluster' },
  { method: 'GET', path: '/clusters', operation: 'ListClusters' },
  { method: 'GET', path: '/clusters/{name}', operation: 'DescribeCluster' },
  { method: 'DELETE', path: '/clusters/{name}', operation: 'DeleteCluster' },
  { method: 'POST', path: '/clusters/{name}/update-config', operation: 'UpdateClusterConfig' },
  { method: 'POST', path: '/clusters/{name}/updates', operation: 'UpdateClusterVersion' },
  { method: 'GET', path: '/clusters/{name}/updates/{updateId}', operation: 'DescribeUpdate' },
  { method: 'POST', path: '/clusters/{clusterName}/node-groups', operation: 'CreateNodegroup' },
  { method: 'GET', path: '/clusters/{clusterName}/node-groups', operation: 'ListNodegroups' },
  { method: 'GET', path: '/clusters/{clusterName}/node-groups/{nodegroupName}', operation: 'DescribeNodegroup' },
  { method: 'DELETE', path: '/clusters/{clusterName}/node-groups/{nodegroupName}', operation: 'DeleteNodegroup' },
  { method: 'POST', path: '/clusters/{clusterName}/node-groups/{nodegroupName}/update-config', operation: 'UpdateNodegroupConfig' },
  { method: 'POST', path: '/clusters/{clusterName}/node-groups/{nodegroupName}/update-version', operation: 'UpdateNodegroupVersion' },
  { method: 'POST', path: '/clusters/{clusterName}/addons', operation: 'CreateAddon' },
  { method: 'GET', path: '/clusters/{clusterName}/addons', operation: 'ListAddons' },
  { method: 'GET', path: '/clusters/{clusterName}/addons/{addonName}', operation: 'DescribeAddon' },
  { method: 'DELETE', path: '/clusters/{clusterName}/addons/{addonName}', operation: 'DeleteAddon' },
  { method: 'POST', path: '/clusters/{clusterName}/addons/{addonName}/update', operation: 'UpdateAddon' },
  { method: 'GET', path: '/addons/supported-versions', operation: 'DescribeAddonVersions' },
  { method: 'POST', path: '/clusters/{clusterName}/access-entries', operation: 'CreateAccessEntry' },
  { method: 'GET', path: '/clusters/{clusterName}/access-entries', operation: 'ListAccessEntries' },
  { method: 'GET', path: '/clusters/{clusterName}/access-entries/{principalArn}', operation: 'DescribeAccessEntry' },
  { method: 'DELETE', path: '/clusters/{clusterName}/access-entries/{principalArn}', operation: 'DeleteAccessEntry' },
  { method: 'POST', path: '/clusters/{clusterName}/access-entries/{principalArn}/access-policies', operation: 'AssociateAccessPolicy' },
  { method: 'GET', path: '/clusters/{clusterName}/access-entries/{principalArn}/access-policies', operation: 'ListAssociatedAccessPolicies' },
  { method: 'DELETE', path: '/clusters/{clusterName}/access-entries/{principalArn}/access-policies/{policyArn}', operation: 'DisassociateAccessPolicy' },
  { method: 'GET', path: '/tags/{resourceArn}', operation: 'ListTagsForResource' },
  { method: 'POST', path: '/tags/{resourceArn}', operation: 'TagResource' },
];

export class EksService implements EmulatedService {
  readonly name = 'eks';
  readonly signingName = 'eks';
  readonly codec = restJsonCodec(ROUTES);
  readonly throttle = { code: 'ThrottlingException', status: 429, message: 'Rate exceeded' };
  readonly operations: Record<string, OperationHandler>;
  readonly hooks: EksHooks = {};
  /** Set by the sandbox: what happens when a cluster turns ACTIVE (start its API server). */
  onClusterActive?: (c: Cluster, state: EksState) => void;
  private readonly states = new Map<string, EksState>();

  constructor(private readonly options: { clock: ScaledClock; accountId: string }) {
    const deps: EksDeps = { state: (ctx) => this.state(ctx.region, ctx.accountId), hooks: this.hooks };
    this.operations = { ...clusterOperations(deps), ...nodegroupOperations(deps), ...accessOperations(deps) };
  }

  state(region: string, accountId = this.options.accountId): EksState {
    const key = `${accountId}|${region}`;
    let s = this.states.get(key);
    if (!s) {
      s = new EksState(accountId, region, this.options.clock);
      s.onClusterActive = (c) => this.onClusterActive?.(c, s!);
      this.states.set(key, s);
    }
    return s;
  }

  /** Test hook: the cluster fails the way real EKS reports it (status FAILED with health issues). */
  failCluster(region: string, name: string, issue: HealthIssue): void {
    const c = this.state(region).clusters.get(name);
    if (!c) throw new Error(`no cluster ${name}`);
    c.status = 'FAILED';
    c.health = [issue];
  }

  reset(): void {
    this.states.clear();
  }
}

export function createEksService(options: { clock: ScaledClock; accountId: string }): EksService {
  return new EksService(options);
}
