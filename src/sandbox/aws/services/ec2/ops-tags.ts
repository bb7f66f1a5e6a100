// CreateTags / DeleteTags / DescribeTags across every resource type.
import { ServiceError, type OperationHandler } from '../../service.js';
import type { Ec2Deps } from './deps.js';
import { paginate } from './query.js';
import type { Ec2State, Tags } from './state.js';

function tagsOf(s: Ec2State, id: string): { tags: Tags; type: string } | undefined {
  const found = s.vpcs.get(id) ?? s.subnets.get(id) ?? s.internetGateways.get(id) ?? s.addresses.get(id) ?? s.natGateways.get(id) ?? s.routeTables.get(id) ?? s.securityGroups.get(id);
  if (!found) return undefined;
  const type = id.startsWith('vpc-') ? 'vpc' : id.startsWith('subnet-') ? 'subnet' : id.startsWith('igw-') ? 'internet-gateway'
    : id.startsWith('eipalloc-') ? 'elastic-ip' : id.startsWith('nat-') ? 'natgateway' : id.startsWith('sg-') ? 'security-group' : 'route-table';
  return { tags: found.tags, type };
}

export function tagOperations(deps: Ec2Deps): Record<string, OperationHandler> {
  const lookup = (s: Ec2State, id: string) => {
    const t = tagsOf(s, id);
    if (!t) {
      const prefix = id.split('-')[0];
      const code = prefix === 'vpc' ? 'InvalidVpcID.NotFound' : prefix === 'subnet' ? 'InvalidSubnetID.NotFound' : prefix === 'igw' ? 'InvalidInternetGatewayID.NotFound'
        : prefix === 'rtb' ? 'InvalidRouteTableID.NotFound' : prefix === 'eipalloc' ? 'InvalidAllocationID.NotFound' : prefix === 'sg' ? 'InvalidGroup.NotFound' : 'InvalidID';
      throw new ServiceError(code, `The ID '${id}' does not exist`, 400);
    }
    return t;
  };
  return {
    CreateTags(input, ctx) {
      const s = deps.state(ctx);
      for (const id of input.ResourceId ?? []) {
        const { tags } = lookup(s, id);
        for (const t of input.Tag ?? []) if (t.Key !== undefined) tags.set(t.Key, t.Value ?? '');
      }
      return { return: true };
    },
    DeleteTags(input, ctx) {
      const s = deps.state(ctx);
      for (const id of input.ResourceId ?? []) {
        const { tags } = lookup(s, id);
        for (const t of input.Tag ?? []) {
          if (t.Key === undefined) continue;
          if (t.Value === undefined || tags.get(t.Key) === t.Value) tags.delete(t.Key);
        }
      }
      return { return: true };
    },
    DescribeTags(input, ctx) {
      const s = deps.state(ctx);
      const rows: { resourceId: string; resourceType: string; key: string; value: string }[] = [];
      const all = [...s.vpcs.keys(), ...s.subnets.keys(), ...s.internetGateways.keys(), ...s.addresses.keys(), ...s.natGateways.keys(), ...s.routeTables.keys()];
      for (const id of all) {
        const { tags, type } = tagsOf(s, id)!;
        for (const [key, value] of tags) rows.push({ resourceId: id, resourceType: type, key, value });
      }
      const filtered = rows.filter((r) => (input.Filter ?? []).every((f: { Name?: string; Value?: string[] }) => {
        const v = f.Name === 'resource-id' ? r.resourceId : f.Name === 'resource-type' ? r.resourceType : f.Name === 'key' ? r.key : f.Name === 'value' ? r.value : undefined;
        if (v === undefined) throw new ServiceError('InvalidParameterValue', `The filter '${f.Name}' is invalid`, 400);
        return (f.Value ?? []).includes(v);
      }));
      const { page, nextToken } = paginate(filtered, input);
      return { tagSet: page, nextToken };
    },
  };
}
