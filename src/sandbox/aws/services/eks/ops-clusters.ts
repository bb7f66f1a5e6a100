// Clusters and their updates.
import { ServiceError, type OperationHandler, type RequestContext } from '../../service.js';
import { callerIdentity } from '../sts/index.js';
import { defaultVersion, offeredVersions, versionStatus } from './versions.js';
import type { EksDeps } from './deps.js';
import { accessEntryArn, hex, TIMINGS, type Cluster, type EksState, type Update } from './state.js';
import { clusterWire, updateWire } from './wire.js';
import { applyLogging, createSettings, loggingWire, refuseProtectedDeletion } from './cluster-settings.js';

export function idempotent(s: EksState, token: unknown, make: () => unknown): unknown {
  if (typeof token === 'string' && s.tokens.has(token)) return s.tokens.get(token);
  const out = make();
  if (typeof token === 'string') s.tokens.set(token, out);
  return out;
}

export function clusterOf(deps: EksDeps, ctx: RequestContext, name: unknown): { s: EksState; c: Cluster } {
  const s = deps.state(ctx);
  s.settle();
  const c = s.clusters.get(String(name));
  if (!c) throw new ServiceError('ResourceNotFoundException', `No cluster found for name: ${name}.`, 404, { clusterName: name });
  return { s, c };
}

export function requireActive(c: Cluster): void {
  if (c.status !== 'ACTIVE') {
    throw new ServiceError('ResourceInUseException', `Cluster has status ${c.status}. Resource ${c.name} is in use.`, 409, { clusterName: c.name });
  }
}

function startUpdate(s: EksState, c: Cluster, type: string, params: { type: string; value: string }[], durationMs: number, apply: () => void): Update {
  const u: Update = { id: crypto.randomUUID(), status: 'InProgress', type, params, createdAt: new Date(), doneAt: s.clock.deadline(durationMs), apply, errors: [] };
  c.updates.push(u);
  c.status = 'UPDATING';
  c.readyAt = u.doneAt;
  return u;
}

export function clusterOperations(deps: EksDeps): Record<string, OperationHandler> {
  return {
    CreateCluster(input, ctx) {
      const s = deps.state(ctx);
      s.settle();
      return idempotent(s, input.clientRequestToken, () => {
        const name = String(input.name);
        if (s.clusters.has(name)) throw new ServiceError('ResourceInUseException', `Cluster already exists with name: ${name}`, 409, { clusterName: name });
        const version = String(input.version ?? defaultVersion(s.clock.now()));
        // The release calendar decides: a version past its extended support (or not yet released)
        // is refused as AWS answers it ("unsupported Kubernetes version 1.31").
        if (!versionStatus(version, s.clock.now())) {
          throw new ServiceError('InvalidParameterException', `unsupported Kubernetes version ${version}`, 400, { supportedVersions: offeredVersions(s.clock.now()) });
        }
        const supportType = String(input.upgradePolicy?.supportType ?? 'EXTENDED');
        // UpgradePolicyRequest.supportType: Valid Values STANDARD | EXTENDED, default EXTENDED
        // (https://docs.aws.amazon.com/eks/latest/APIReference/API_UpgradePolicyRequest.html).
        if (supportType !== 'STANDARD' && supportType !== 'EXTENDED') throw new ServiceError('InvalidParameterException', `Invalid supportType ${supportType}`, 400);
        const settings = createSettings(input);
        if (deps.hooks.roleExists && !deps.hooks.roleExists(ctx.accountId, String(input.roleArn))) {
          throw new ServiceError('InvalidParameterException', `Role with arn: ${input.roleArn}, does not exist`, 400);
        }
        const vpc = input.resourcesVpcConfig ?? {};
        const subnetIds: string[] = vpc.subnetIds ?? [];
        const zones = deps.hooks.subnetZones?.(ctx.region, subnetIds);
        if (zones && zones.length < subnetIds.length) throw new ServiceError('InvalidParameterException', `One or more subnets in ${subnetIds.join(', ')} do not exist`, 400);
        if (zones && new Set(zones.map((z) => z.zone)).size < 2) {
          throw new ServiceError('InvalidParameterException', 'Subnets specified must be in at least two different AZs', 400);
        }
        const c: Cluster = {
          name, arn: `arn:aws:eks:${ctx.region}:${ctx.accountId}:cluster/${name}`, version, roleArn: String(input.roleArn), status: 'CREATING', createdAt: new Date(),
          readyAt: s.clock.deadline(TIMINGS.clusterCreateMs),
          vpcConfig: { subnetIds, securityGroupIds: vpc.securityGroupIds ?? [], endpointPublicAccess: vpc.endpointPublicAccess ?? true,
            endpointPrivateAccess: vpc.endpointPrivateAccess ?? false, publicAccessCidrs: vpc.publicAccessCidrs ?? ['0.0.0.0/0'], vpcId: zones?.[0]?.vpcId },
          ...settings,
          oidcId: hex(16).toUpperCase(), tags: input.tags ?? {}, health: [], updates: [], platformVersion: 'eks.1', supportType,
        };
        s.clusters.set(name, c);
        // The creator gets cluster-admin; in API modes that is a visible access entry.
        if (c.bootstrapClusterCreatorAdminPermissions && c.authenticationMode !== 'CONFIG_MAP') {
          const principal = callerIdentity(ctx).Arn;
          s.accessEntries.set(`${name}/${principal}`, { clusterName: name, principalArn: principal, arn: accessEntryArn(ctx.region, ctx.accountId, name, principal),
            type: 'STANDARD', username: principal, kubernetesGroups: [], tags: {}, createdAt: new Date(),
            policies: new Map([['arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy', { scope: { type: 'cluster' }, associatedAt: new Date() }]]) });
        }
        return { cluster: clusterWire(c) };
      });
    },
    DescribeCluster: (input, ctx) => ({ cluster: clusterWire(clusterOf(deps, ctx, input.name).c) }),
    ListClusters(input, ctx) {
      const s = deps.state(ctx);
      s.settle();
      const names = [...s.clusters.keys()].sort();
      const start = input.nextToken ? Number(input.nextToken) : 0;
      const max = input.maxResults ? Number(input.maxResults) : 100;
      return { clusters: names.slice(start, start + max), nextToken: start + max < names.length ? String(start + max) : undefined };
    },
    DeleteCluster(input, ctx) {
      const { s, c } = clusterOf(deps, ctx, input.name);
      refuseProtectedDeletion(c);
      if ([...s.nodegroups.values()].some((n) => n.clusterName === c.name)) {
        throw new ServiceError('ResourceInUseException', `Cluster has nodegroups attached`, 409, { clusterName: c.name });
      }
      if (c.status !== 'DELETING') {
        c.status = 'DELETING';
        c.deletedAt = s.clock.deadline(TIMINGS.clusterDeleteMs);
        for (const [k, a] of s.addons) if (a.clusterName === c.name) s.addons.delete(k);
        for (const [k, e] of s.accessEntries) if (e.clusterName === c.name) s.accessEntries.delete(k);
      }
      return { cluster: clusterWire(c) };
    },
    UpdateClusterVersion(input, ctx) {
      const { s, c } = clusterOf(deps, ctx, input.name);
      return idempotent(s, input.clientRequestToken, () => {
        requireActive(c);
        const target = String(input.version);
        const [maj, min] = c.version.split('.').map(Number);
        if (target !== `${maj}.${min! + 1}`) throw new ServiceError('InvalidParameterException', `Unsupported Kubernetes minor version update from ${c.version} to ${target}`, 400, { clusterName: c.name });
        if (!versionStatus(target, s.clock.now())) throw new ServiceError('InvalidParameterException', `unsupported Kubernetes version ${target}`, 400, { clusterName: c.name });
        const u = startUpdate(s, c, 'VersionUpdate', [{ type: 'Version', value: target }, { type: 'PlatformVersion', value: 'eks.1' }], TIMINGS.clusterVersionUpdateMs, () => { c.version = target; });
        return { update: updateWire(u) };
      });
    },
    UpdateClusterConfig(input, ctx) {
      const { s, c } = clusterOf(deps, ctx, input.name);
      return idempotent(s, input.clientRequestToken, () => {
        requireActive(c);
        const vpc = input.resourcesVpcConfig;
        const access = input.accessConfig;
        if (access?.authenticationMode) {
          const order = ['CONFIG_MAP', 'API_AND_CONFIG_MAP', 'API'];
          if (order.indexOf(access.authenticationMode) < order.indexOf(c.authenticationMode)) {
            throw new ServiceError('InvalidParameterException', `Unsupported authentication mode update from ${c.authenticationMode} to ${access.authenticationMode}`, 400, { clusterName: c.name });
          }
        }
        const supportType = input.upgradePolicy?.supportType === undefined ? undefined : String(input.upgradePolicy.supportType);
        if (supportType !== undefined && supportType !== 'STANDARD' && supportType !== 'EXTENDED') throw new ServiceError('InvalidParameterException', `Invalid supportType ${supportType}`, 400);
        // "You cannot disable extended support once your cluster has entered it. You can only disable
        // extended support for clusters on standard support."
        // (https://docs.aws.amazon.com/eks/latest/userguide/disable-extended-support.html)
        if (supportType === 'STANDARD' && versionStatus(c.version, s.clock.now()) === 'EXTENDED_SUPPORT') {
          throw new ServiceError('InvalidParameterException', `Cluster ${c.name} is on Kubernetes ${c.version}, in extended support: the upgrade policy cannot be set to STANDARD; update the cluster to a version in standard support first`, 400, { clusterName: c.name });
        }
        // Logging that changes nothing is no update: EKS answers "No changes needed for the logging config provided".
        const requestedLogs = input.logging ? applyLogging(c.enabledLogTypes, input.logging) : undefined;
        const logTypes = requestedLogs && requestedLogs.join() !== c.enabledLogTypes.join() ? requestedLogs : undefined;
        const deletionProtection = typeof input.deletionProtection === 'boolean' ? input.deletionProtection : undefined;
        const params = [
          ...(vpc?.endpointPublicAccess !== undefined ? [{ type: 'EndpointPublicAccess', value: String(vpc.endpointPublicAccess) }] : []),
          ...(vpc?.endpointPrivateAccess !== undefined ? [{ type: 'EndpointPrivateAccess', value: String(vpc.endpointPrivateAccess) }] : []),
          ...(vpc?.publicAccessCidrs ? [{ type: 'PublicAccessCidrs', value: JSON.stringify(vpc.publicAccessCidrs) }] : []),
          ...(access?.authenticationMode ? [{ type: 'AuthenticationMode', value: access.authenticationMode }] : []),
          ...(supportType ? [{ type: 'UpgradePolicy', value: supportType }] : []),
          ...(logTypes ? [{ type: 'ClusterLogging', value: JSON.stringify(loggingWire(logTypes)) }] : []),
          ...(deletionProtection !== undefined ? [{ type: 'DeletionProtection', value: String(deletionProtection) }] : []),
        ];
        if (params.length === 0) throw new ServiceError('InvalidParameterException', 'No changes needed for the logging config provided', 400, { clusterName: c.name });
        const type = supportType ? 'UpgradePolicyUpdate' : access?.authenticationMode ? 'AccessConfigUpdate' : logTypes ? 'LoggingUpdate'
          : deletionProtection !== undefined ? 'DeletionProtectionUpdate' : 'EndpointAccessUpdate';
        const u = startUpdate(s, c, type, params, TIMINGS.clusterConfigUpdateMs, () => {
          if (vpc?.endpointPublicAccess !== undefined) c.vpcConfig.endpointPublicAccess = vpc.endpointPublicAccess;
          if (vpc?.endpointPrivateAccess !== undefined) c.vpcConfig.endpointPrivateAccess = vpc.endpointPrivateAccess;
          if (vpc?.publicAccessCidrs) c.vpcConfig.publicAccessCidrs = vpc.publicAccessCidrs;
          if (access?.authenticationMode) c.authenticationMode = access.authenticationMode;
          if (supportType) c.supportType = supportType;
          if (logTypes) c.enabledLogTypes = logTypes;
          if (deletionProtection !== undefined) c.deletionProtection = deletionProtection;
        });
        return { update: updateWire(u) };
      });
    },
    DescribeUpdate(input, ctx) {
      const { s, c } = clusterOf(deps, ctx, input.name);
      const owners = [c, ...[...s.nodegroups.values()].filter((n) => n.clusterName === c.name), ...[...s.addons.values()].filter((a) => a.clusterName === c.name)];
      const u = owners.flatMap((o) => o.updates).find((x) => x.id === input.updateId);
      if (!u) throw new ServiceError('ResourceNotFoundException', `No update found for ID: ${input.updateId}`, 404);
      return { update: updateWire(u) };
    },
  };
}
