// CreateLoadBalancer, DeleteLoadBalancer, DescribeLoadBalancers: application load balancers
// only. A new ALB reports `provisioning` until its deadline on the scaled clock, then `active`;
// its DNS name is returned at once (aws-lifecycles-and-errors.md §6).
import { ServiceError, type OperationHandler } from '../../service.js';
import type { Elbv2Deps, SubnetInfo } from './deps.js';
import { list, page, required, str, tagsInput, validation } from './input.js';
import { dnsSuffix, hexId, LB_PROVISIONING_MS, type LoadBalancer } from './state.js';
import { wireLoadBalancer } from './wire.js';
import { albCanonicalZoneId } from './zones.js';

const NAME = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,30}[A-Za-z0-9])?$/;

export function loadBalancerOperations(deps: Elbv2Deps): Record<string, OperationHandler> {
  return {
    CreateLoadBalancer(input, ctx) {
      const state = deps.state(ctx);
      const name = required(input.Name, 'Name');
      if (!NAME.test(name) || name.startsWith('internal-')) {
        throw validation(`The load balancer name '${name}' must have at most 32 alphanumeric characters or hyphens, and must not begin or end with a hyphen or begin with 'internal-'`);
      }
      const type = str(input.Type) ?? 'application';
      if (type !== 'application') throw validation(`Load balancer type '${type}' is not supported by this emulator`);
      const scheme = (str(input.Scheme) ?? 'internet-facing') as LoadBalancer['scheme'];
      if (scheme !== 'internet-facing' && scheme !== 'internal') throw validation(`Scheme '${scheme}' is not valid`);
      const subnetIds = [
        ...list<string>(input.Subnets),
        ...list<Record<string, any>>(input.SubnetMappings).map((m) => String(m.SubnetId ?? '')),
      ];
      const subnets = subnetIds.map((id, i) => resolveSubnet(deps, ctx.region, id, i));
      const zones = new Set(subnets.map((s) => s.availabilityZone));
      if (zones.size !== subnets.length) {
        throw new ServiceError('InvalidConfigurationRequest', 'A load balancer cannot be attached to multiple subnets in the same Availability Zone', 400);
      }
      if (zones.size < 2) {
        throw new ServiceError('InvalidConfigurationRequest', 'At least two subnets in two different Availability Zones must be specified', 400);
      }
      const vpcs = new Set(subnets.map((s) => s.vpcId));
      if (vpcs.size !== 1) throw new ServiceError('InvalidSubnet', 'All subnets must belong to the same VPC', 400);
      const securityGroups = list<string>(input.SecurityGroups);
      const ipAddressType = str(input.IpAddressType) ?? 'ipv4';
      const createKey = JSON.stringify([scheme, type, [...subnetIds].sort(), [...securityGroups].sort(), ipAddressType]);
      const existing = [...state.loadBalancers.values()].find((lb) => lb.name === name);
      if (existing) {
        // Identical settings return the existing load balancer (CreateLoadBalancer is idempotent by name).
        if (existing.createKey !== createKey) throw new ServiceError('DuplicateLoadBalancerName', `A load balancer with the name '${name}' already exists`, 400);
        return { LoadBalancers: [wireLoadBalancer(state, existing)] };
      }
      const tags = tagsInput(input.Tags);
      const id = hexId();
      const lb: LoadBalancer = {
        arn: state.arn(`loadbalancer/app/${name}/${id}`),
        name,
        scheme,
        type: 'application',
        ipAddressType,
        vpcId: [...vpcs][0]!,
        subnets: subnets.map((s) => ({ subnetId: s.subnetId, zone: s.availabilityZone })),
        securityGroups,
        dnsName: `${scheme === 'internal' ? 'internal-' : ''}${name}-${dnsSuffix()}.${ctx.region}.elb.amazonaws.com`,
        canonicalHostedZoneId: albCanonicalZoneId(ctx.region),
        createdAt: new Date(ctx.clock.now()),
        activeAt: ctx.clock.deadline(LB_PROVISIONING_MS),
        createKey,
      };
      state.loadBalancers.set(lb.arn, lb);
      state.tags.set(lb.arn, new Map(tags));
      state.changed();
      return { LoadBalancers: [wireLoadBalancer(state, lb)] };
    },

    DeleteLoadBalancer(input, ctx) {
      const state = deps.state(ctx);
      const arn = required(input.LoadBalancerArn, 'LoadBalancerArn');
      // Deleting a load balancer that is already gone succeeds (the API is idempotent).
      if (!state.loadBalancers.has(arn)) return {};
      for (const l of state.listenersOf(arn)) {
        for (const r of state.rulesOf(l.arn)) {
          state.rules.delete(r.arn);
          state.tags.delete(r.arn);
        }
        state.listeners.delete(l.arn);
        state.tags.delete(l.arn);
      }
      state.loadBalancers.delete(arn);
      state.tags.delete(arn);
      state.changed();
      return {};
    },

    DescribeLoadBalancers(input, ctx) {
      const state = deps.state(ctx);
      const arns = list<string>(input.LoadBalancerArns);
      const names = list<string>(input.Names);
      if (arns.length > 0 && names.length > 0) throw validation('Load balancer names and load balancer ARNs cannot be specified at the same time');
      let lbs = [...state.loadBalancers.values()];
      if (arns.length > 0) {
        lbs = arns.map((a) => {
          const lb = state.loadBalancers.get(a);
          if (!lb) throw new ServiceError('LoadBalancerNotFound', `Load balancers '[${a}]' not found`, 400);
          return lb;
        });
      } else if (names.length > 0) {
        lbs = names.map((n) => {
          const lb = lbs.find((x) => x.name === n);
          if (!lb) throw new ServiceError('LoadBalancerNotFound', `Load balancers '[${n}]' not found`, 400);
          return lb;
        });
      }
      const p = page(lbs, input);
      return { LoadBalancers: p.items.map((lb) => wireLoadBalancer(state, lb)), NextMarker: p.NextMarker };
    },
  };
}

function resolveSubnet(deps: Elbv2Deps, region: string, subnetId: string, index: number): SubnetInfo {
  if (!subnetId) throw validation('Subnet id must not be empty');
  if (!deps.hooks.subnet) {
    // NOTE(standalone): without an EC2 emulator wired in (unit tests of ELBv2 alone) each subnet
    // is taken to be in its own zone of one VPC, so the two-zone rule can still be exercised.
    return { subnetId, vpcId: 'vpc-standalone', availabilityZone: `${region}${String.fromCharCode(97 + index)}` };
  }
  const info = deps.hooks.subnet(region, subnetId);
  if (!info) throw new ServiceError('SubnetNotFound', `The subnet ID '${subnetId}' does not exist`, 400);
  return info;
}
