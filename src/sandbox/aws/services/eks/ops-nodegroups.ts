// Managed node groups and add-ons.
import { ServiceError, type OperationHandler } from '../../service.js';
import { addonVersions, ADDON_NAMES } from './addon-versions.js';
import { defaultVersion } from './versions.js';
import type { EksDeps } from './deps.js';
import { clusterOf, idempotent, requireActive } from './ops-clusters.js';
import { hex, key2, TIMINGS, type Addon, type Nodegroup, type Update } from './state.js';
import { addonWire, nodegroupWire, updateWire } from './wire.js';

function update(type: string, params: { type: string; value: string }[], doneAt: number, apply: () => void): Update {
  return { id: crypto.randomUUID(), status: 'InProgress', type, params, createdAt: new Date(), doneAt, apply, errors: [] };
}

export function nodegroupOperations(deps: EksDeps): Record<string, OperationHandler> {
  const nodegroup = (ctx: Parameters<OperationHandler>[1], cluster: unknown, name: unknown) => {
    const { s, c } = clusterOf(deps, ctx, cluster);
    const n = s.nodegroups.get(key2(c.name, String(name)));
    if (!n) throw new ServiceError('ResourceNotFoundException', `No node group found for name: ${name}.`, 404, { clusterName: c.name, nodegroupName: name });
    return { s, c, n };
  };
  const addon = (ctx: Parameters<OperationHandler>[1], cluster: unknown, name: unknown) => {
    const { s, c } = clusterOf(deps, ctx, cluster);
    const a = s.addons.get(key2(c.name, String(name)));
    if (!a) throw new ServiceError('ResourceNotFoundException', `No addon: ${name} found in cluster: ${c.name}`, 404, { clusterName: c.name, addonName: name });
    return { s, c, a };
  };
  return {
    CreateNodegroup(input, ctx) {
      const { s, c } = clusterOf(deps, ctx, input.clusterName);
      return idempotent(s, input.clientRequestToken, () => {
        requireActive(c);
        const name = String(input.nodegroupName);
        if (s.nodegroups.has(key2(c.name, name))) throw new ServiceError('ResourceInUseException', `NodeGroup already exists with name ${name} and cluster name ${c.name}`, 409, { clusterName: c.name, nodegroupName: name });
        if (deps.hooks.roleExists && !deps.hooks.roleExists(ctx.accountId, String(input.nodeRole))) {
          throw new ServiceError('InvalidParameterException', `The role with name ${String(input.nodeRole).split('/').pop()} cannot be found.`, 400);
        }
        const sc = input.scalingConfig ?? { minSize: 1, maxSize: 2, desiredSize: 2 };
        const n: Nodegroup = {
          clusterName: c.name, name, arn: `arn:aws:eks:${ctx.region}:${ctx.accountId}:nodegroup/${c.name}/${name}/${hex(4)}`, status: 'CREATING', version: c.version,
          releaseVersion: `${c.version}.0-20261101`, nodeRole: String(input.nodeRole), subnets: input.subnets ?? [], instanceTypes: input.instanceTypes ?? ['t3.medium'],
          scaling: { minSize: sc.minSize, maxSize: sc.maxSize, desiredSize: sc.desiredSize }, labels: input.labels ?? {}, taints: input.taints ?? [], diskSize: input.diskSize ?? 20,
          amiType: input.amiType ?? 'AL2023_x86_64_STANDARD', capacityType: input.capacityType ?? 'ON_DEMAND', tags: input.tags ?? {}, createdAt: new Date(), modifiedAt: new Date(),
          readyAt: s.clock.deadline(TIMINGS.nodegroupCreateMs), health: [], updates: [],
        };
        s.nodegroups.set(key2(c.name, name), n);
        return { nodegroup: nodegroupWire(n) };
      });
    },
    DescribeNodegroup: (input, ctx) => ({ nodegroup: nodegroupWire(nodegroup(ctx, input.clusterName, input.nodegroupName).n) }),
    ListNodegroups(input, ctx) {
      const { s, c } = clusterOf(deps, ctx, input.clusterName);
      return { nodegroups: [...s.nodegroups.values()].filter((n) => n.clusterName === c.name).map((n) => n.name).sort() };
    },
    UpdateNodegroupConfig(input, ctx) {
      const { s, n } = nodegroup(ctx, input.clusterName, input.nodegroupName);
      return idempotent(s, input.clientRequestToken, () => {
        if (n.status !== 'ACTIVE') throw new ServiceError('ResourceInUseException', `Nodegroup ${n.name} is currently ${n.status}`, 409, { nodegroupName: n.name });
        const sc = input.scalingConfig;
        const next = { ...n.scaling, ...sc };
        if (!(next.minSize <= next.desiredSize && next.desiredSize <= next.maxSize)) throw new ServiceError('InvalidParameterException', 'desired size must be between min and max', 400);
        const u = update('ConfigUpdate', [
          ...(sc ? [{ type: 'DesiredSize', value: String(next.desiredSize) }, { type: 'MinSize', value: String(next.minSize) }, { type: 'MaxSize', value: String(next.maxSize) }] : []),
          ...(input.labels ? [{ type: 'LabelsToAdd', value: JSON.stringify(input.labels.addOrUpdateLabels ?? {}) }] : []),
          ...(input.taints ? [{ type: 'TaintsToAdd', value: JSON.stringify(input.taints.addOrUpdateTaints ?? []) }] : []),
        ], s.clock.deadline(TIMINGS.nodegroupUpdateMs), () => {
          n.scaling = next;
          if (input.labels) {
            for (const k of input.labels.removeLabels ?? []) delete n.labels[k];
            Object.assign(n.labels, input.labels.addOrUpdateLabels ?? {});
          }
          if (input.taints) {
            const remove = (input.taints.removeTaints ?? []).map((t: { key: string }) => t.key);
            const add: { key: string }[] = input.taints.addOrUpdateTaints ?? [];
            n.taints = [...n.taints.filter((t) => !remove.includes(t.key) && !add.some((a) => a.key === t.key)), ...(add as typeof n.taints)];
          }
        });
        n.updates.push(u);
        n.status = 'UPDATING';
        n.readyAt = u.doneAt;
        return { update: updateWire(u) };
      });
    },
    UpdateNodegroupVersion(input, ctx) {
      const { s, c, n } = nodegroup(ctx, input.clusterName, input.nodegroupName);
      return idempotent(s, input.clientRequestToken, () => {
        if (n.status !== 'ACTIVE') throw new ServiceError('ResourceInUseException', `Nodegroup ${n.name} is currently ${n.status}`, 409, { nodegroupName: n.name });
        const target = String(input.version ?? c.version);
        if (target !== c.version) throw new ServiceError('InvalidParameterException', `Requested Kubernetes version ${target} is not the cluster's version ${c.version}`, 400);
        const u = update('VersionUpdate', [{ type: 'Version', value: target }], s.clock.deadline(TIMINGS.nodegroupUpdateMs), () => {
          n.version = target;
          n.releaseVersion = `${target}.0-20261101`;
        });
        n.updates.push(u);
        n.status = 'UPDATING';
        n.readyAt = u.doneAt;
        return { update: updateWire(u) };
      });
    },
    DeleteNodegroup(input, ctx) {
      const { s, n } = nodegroup(ctx, input.clusterName, input.nodegroupName);
      if (n.status !== 'DELETING') {
        n.status = 'DELETING';
        n.deletedAt = s.clock.deadline(TIMINGS.nodegroupDeleteMs);
      }
      return { nodegroup: nodegroupWire(n) };
    },
    CreateAddon(input, ctx) {
      const { s, c } = clusterOf(deps, ctx, input.clusterName);
      return idempotent(s, input.clientRequestToken, () => {
        requireActive(c);
        const name = String(input.addonName);
        if (!ADDON_NAMES.includes(name)) throw new ServiceError('InvalidParameterException', `Addon ${name} specified is not supported`, 400);
        if (s.addons.has(key2(c.name, name))) throw new ServiceError('ResourceInUseException', `Addon already exists.`, 409, { clusterName: c.name, addonName: name });
        const versions = addonVersions(name, c.version);
        const version = String(input.addonVersion ?? versions[0]);
        if (!versions.includes(version)) throw new ServiceError('InvalidParameterException', `Addon version specified is not supported`, 400, { addonName: name });
        const a: Addon = { clusterName: c.name, name, arn: `arn:aws:eks:${ctx.region}:${ctx.accountId}:addon/${c.name}/${name}/${hex(4)}`, version, status: 'CREATING',
          serviceAccountRoleArn: input.serviceAccountRoleArn, tags: input.tags ?? {}, createdAt: new Date(), modifiedAt: new Date(),
          readyAt: s.clock.deadline(TIMINGS.addonCreateMs), degradesAt: s.clock.deadline(TIMINGS.addonNoNodesDegradedMs), health: [], updates: [] };
        s.addons.set(key2(c.name, name), a);
        return { addon: addonWire(a) };
      });
    },
    DescribeAddon: (input, ctx) => ({ addon: addonWire(addon(ctx, input.clusterName, input.addonName).a) }),
    ListAddons(input, ctx) {
      const { s, c } = clusterOf(deps, ctx, input.clusterName);
      return { addons: [...s.addons.values()].filter((a) => a.clusterName === c.name).map((a) => a.name).sort() };
    },
    UpdateAddon(input, ctx) {
      const { s, c, a } = addon(ctx, input.clusterName, input.addonName);
      return idempotent(s, input.clientRequestToken, () => {
        if (a.status === 'CREATING' || a.status === 'UPDATING' || a.status === 'DELETING') {
          throw new ServiceError('ResourceInUseException', `Addon ${a.name} is currently ${a.status}`, 409, { addonName: a.name });
        }
        requireActive(c);
        const version = String(input.addonVersion ?? a.version);
        if (!addonVersions(a.name, c.version).includes(version)) throw new ServiceError('InvalidParameterException', `Addon version ${version} is not supported for ${c.version}`, 400);
        const u = update('AddonUpdate', [{ type: 'AddonVersion', value: version }, ...(input.serviceAccountRoleArn ? [{ type: 'ServiceAccountRoleArn', value: input.serviceAccountRoleArn }] : [])],
          s.clock.deadline(TIMINGS.addonUpdateMs), () => {
            a.version = version;
            if (input.serviceAccountRoleArn !== undefined) a.serviceAccountRoleArn = input.serviceAccountRoleArn;
            a.modifiedAt = new Date();
          });
        a.updates.push(u);
        a.status = 'UPDATING';
        a.readyAt = u.doneAt;
        a.degradesAt = s.clock.deadline(TIMINGS.addonNoNodesDegradedMs);
        return { update: updateWire(u) };
      });
    },
    DeleteAddon(input, ctx) {
      const { s, a } = addon(ctx, input.clusterName, input.addonName);
      if (a.status !== 'DELETING') {
        a.status = 'DELETING';
        a.deletedAt = s.clock.deadline(TIMINGS.addonDeleteMs);
      }
      return { addon: addonWire(a) };
    },
    DescribeAddonVersions(input) {
      const names = input.addonName ? [String(input.addonName)] : ADDON_NAMES;
      const k8s = input.kubernetesVersion ? String(input.kubernetesVersion) : defaultVersion(Date.now());
      return {
        addons: names.map((name) => ({
          addonName: name, type: name === 'vpc-cni' || name === 'coredns' || name === 'kube-proxy' ? 'networking' : 'security', owner: 'aws', publisher: 'eks',
          addonVersions: addonVersions(name, k8s).map((v, i) => ({
            addonVersion: v, architecture: ['amd64', 'arm64'], compatibilities: [{ clusterVersion: k8s, defaultVersion: i === 0, platformVersions: ['*'] }], requiresConfiguration: false,
          })),
        })),
      };
    },
  };
}
