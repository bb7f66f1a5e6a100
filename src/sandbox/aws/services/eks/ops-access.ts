// Access entries and their access policies; resource tags.
import { ServiceError, type OperationHandler } from '../../service.js';
import type { EksDeps } from './deps.js';
import { clusterOf, idempotent } from './ops-clusters.js';
import { accessEntryArn } from './state.js';
import { accessEntryWire } from './wire.js';

export function accessOperations(deps: EksDeps): Record<string, OperationHandler> {
  const entry = (ctx: Parameters<OperationHandler>[1], cluster: unknown, principal: unknown) => {
    const { s, c } = clusterOf(deps, ctx, cluster);
    const e = s.accessEntries.get(`${c.name}/${principal}`);
    if (!e) throw new ServiceError('ResourceNotFoundException', `The specified principalArn could not be found. You can view your available access entries with 'list-access-entries'.`, 404, { clusterName: c.name });
    return { s, c, e };
  };
  return {
    CreateAccessEntry(input, ctx) {
      const { s, c } = clusterOf(deps, ctx, input.clusterName);
      return idempotent(s, input.clientRequestToken, () => {
        if (c.authenticationMode === 'CONFIG_MAP') throw new ServiceError('InvalidRequestException', 'The cluster\'s authentication mode must be set to one of [API, API_AND_CONFIG_MAP] to perform this operation.', 400);
        const principal = String(input.principalArn);
        if (/:assumed-role\//.test(principal)) throw new ServiceError('InvalidParameterException', 'The principalArn parameter format is not valid', 400);
        if (s.accessEntries.has(`${c.name}/${principal}`)) throw new ServiceError('ResourceInUseException', `The specified access entry resource is already in use on this cluster.`, 409, { clusterName: c.name });
        const e = { clusterName: c.name, principalArn: principal, arn: accessEntryArn(ctx.region, ctx.accountId, c.name, principal), type: String(input.type ?? 'STANDARD'),
          username: input.username ?? principal, kubernetesGroups: input.kubernetesGroups ?? [], tags: input.tags ?? {}, createdAt: new Date(), policies: new Map() };
        s.accessEntries.set(`${c.name}/${principal}`, e);
        return { accessEntry: accessEntryWire(e) };
      });
    },
    DescribeAccessEntry: (input, ctx) => ({ accessEntry: accessEntryWire(entry(ctx, input.clusterName, input.principalArn).e) }),
    ListAccessEntries(input, ctx) {
      const { s, c } = clusterOf(deps, ctx, input.clusterName);
      return { accessEntries: [...s.accessEntries.values()].filter((e) => e.clusterName === c.name).map((e) => e.principalArn).sort() };
    },
    DeleteAccessEntry(input, ctx) {
      const { s, c, e } = entry(ctx, input.clusterName, input.principalArn);
      s.accessEntries.delete(`${c.name}/${e.principalArn}`);
      return {};
    },
    AssociateAccessPolicy(input, ctx) {
      const { c, e } = entry(ctx, input.clusterName, input.principalArn);
      const arn = String(input.policyArn);
      if (!arn.startsWith('arn:aws:eks::aws:cluster-access-policy/')) throw new ServiceError('InvalidParameterException', `The policyArn ${arn} is not valid`, 400);
      e.policies.set(arn, { scope: input.accessScope ?? { type: 'cluster' }, associatedAt: new Date() });
      return { clusterName: c.name, principalArn: e.principalArn, associatedAccessPolicy: { policyArn: arn, accessScope: input.accessScope, associatedAt: Date.now() / 1000, modifiedAt: Date.now() / 1000 } };
    },
    ListAssociatedAccessPolicies(input, ctx) {
      const { c, e } = entry(ctx, input.clusterName, input.principalArn);
      return { clusterName: c.name, principalArn: e.principalArn,
        associatedAccessPolicies: [...e.policies].map(([policyArn, p]) => ({ policyArn, accessScope: p.scope, associatedAt: p.associatedAt.getTime() / 1000, modifiedAt: p.associatedAt.getTime() / 1000 })) };
    },
    DisassociateAccessPolicy(input, ctx) {
      const { e } = entry(ctx, input.clusterName, input.principalArn);
      e.policies.delete(String(input.policyArn));
      return {};
    },
    ListTagsForResource(input, ctx) {
      const s = deps.state(ctx);
      const arn = String(input.resourceArn);
      const found = [...s.clusters.values(), ...s.nodegroups.values(), ...s.addons.values()].find((x) => x.arn === arn);
      if (!found) throw new ServiceError('NotFoundException', `Resource ${arn} not found`, 404);
      return { tags: found.tags };
    },
    TagResource(input, ctx) {
      const s = deps.state(ctx);
      const found = [...s.clusters.values(), ...s.nodegroups.values(), ...s.addons.values()].find((x) => x.arn === input.resourceArn);
      if (!found) throw new ServiceError('NotFoundException', `Resource ${input.resourceArn} not found`, 404);
      Object.assign(found.tags, input.tags ?? {});
      return {};
    },
  };
}
