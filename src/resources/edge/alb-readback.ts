// Kind elbv2/alb: the ALB of one ingress group, read back through ELBv2 (ids edge/alb/<group>).
// The AWS Load Balancer Controller owns the ALB; platformd never writes to ELBv2. It reads the
// ALB to report ALB-level drift and readiness, hands its DNS name and canonical hosted zone id
// to the DNS layer, and repairs drift by nudging the controller: an annotation on the group's
// Ingresses changes their resourceVersion, and the controller reconciles the group again.
import type { LoadBalancer } from '@aws-sdk/client-elastic-load-balancing-v2';
import { defineKind, type Desired, type KindContext, type Observed } from '../kind.js';
import { PlatformdError, ErrorCodes } from '../../errors.js';
import { RECONCILE_REQUEST_ANNOTATION } from '../kube/ingress.js';
import { controllerWarning } from './alb-controller-events.js';
import { albReady, albStateFromLive, diffAlb, withTargetHealth, type AlbDesired, type AlbState } from './alb-readback-model.js';
import { describeLoadBalancer, findStackLoadBalancers, healthCarryOf, NO_HEALTH_CARRY, readAlb, readTargetHealth, HEALTH_READS_PER_POLL } from './alb-readback-read.js';

export const ALB_KIND = 'elbv2/alb';
/** Field manager of the repair nudge: distinct from the kube layer's, so neither prunes the other. */
export const REPAIR_FIELD_MANAGER = 'platformd-alb-repair';
/**
 * PatchStrategy.ServerSideApply, spelled out: importing @kubernetes/client-node's values pulls in
 * undici 8, which needs Node 22 (zstd) — the types alone are fine.
 */
const SERVER_SIDE_APPLY = 'application/apply-patch+yaml';

type AlbObserved = Observed<AlbState>;

function observedOf(id: string, lb: LoadBalancer, state: AlbState): AlbObserved {
  return {
    id,
    kind: ALB_KIND,
    physicalId: lb.LoadBalancerArn ?? '',
    state,
    outputs: { dnsName: lb.DNSName, canonicalHostedZoneId: lb.CanonicalHostedZoneId, arn: lb.LoadBalancerArn },
    // The controller tags it with the cluster and this group's stack (and our tags annotation).
    owned: true,
    status: lb.State?.Code,
  };
}

async function observeOne(ctx: KindContext, desired: Desired<AlbDesired>, lb: LoadBalancer, withHealth: Parameters<typeof readAlb>[2]): Promise<AlbObserved> {
  const live = await readAlb(ctx.aws.elbv2, lb, withHealth, ctx.signal);
  return observedOf(desired.id, lb, albStateFromLive(live, desired.properties.listener));
}

/** Find and read one group's ALB; undefined while the controller has not created it. */
async function observeGroup(ctx: KindContext, desired: Desired<AlbDesired>): Promise<AlbObserved | undefined> {
  const found = await findStackLoadBalancers(ctx.aws.elbv2, desired.properties.cluster, new Set([desired.properties.group]), ctx.signal);
  const lb = found.get(desired.properties.group);
  return lb ? observeOne(ctx, desired, lb, NO_HEALTH_CARRY) : undefined;
}

/** Make the controller reconcile the group again: SSA one annotation onto each of its Ingresses. */
export async function nudgeController(ctx: KindContext, ingresses: AlbDesired['ingresses'], at: string): Promise<void> {
  const api = await ctx.kube.objects();
  for (const ing of ingresses) {
    await api.patch(
      { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name: ing.name, namespace: ing.namespace, annotations: { [RECONCILE_REQUEST_ANNOTATION]: at } } },
      undefined, undefined, REPAIR_FIELD_MANAGER, true, SERVER_SIDE_APPLY,
    );
  }
}

export const albReadback = defineKind<AlbDesired, AlbState>({
  kind: ALB_KIND,
  // The controller deletes the ALB when the group's last Ingress goes: wait for that first.
  deleteAfter: ['kube/Ingress'],

  async observeAll(ctx, desired) {
    if (desired.length === 0) return [];
    // Every group of this platform shares one cluster: one scan finds all of their ALBs.
    const byCluster = new Map<string, Desired<AlbDesired>[]>();
    for (const d of desired) byCluster.set(d.properties.cluster, [...(byCluster.get(d.properties.cluster) ?? []), d]);
    const out: AlbObserved[] = [];
    for (const [cluster, ds] of byCluster) {
      const found = await findStackLoadBalancers(ctx.aws.elbv2, cluster, new Set(ds.map((d) => d.properties.group)), ctx.signal);
      for (const d of ds) {
        const lb = found.get(d.properties.group);
        // No target health here: the plan needs none, and it costs a call per target group.
        if (lb) out.push(await observeOne(ctx, d, lb, false));
      }
    }
    return out;
  },

  diff(desired, observed) {
    return diffAlb(desired, observed.state);
  },

  async create(ctx, desired) {
    // The controller creates the ALB from the Ingress. Not there yet: say why if the controller
    // complains, and throw PLATFORMD_RESOURCE_PENDING, which the engine retries with backoff
    // until its create deadline (kinds never wait).
    const o = await observeGroup(ctx, desired);
    if (o) return { ...o, state: { ...o.state, expected: desired.properties } };
    const warning = await controllerWarning(ctx, desired.properties.ingresses);
    const says = warning ? `; the controller reports ${warning}` : '';
    ctx.progress(`waiting for the load balancer controller to create the ALB of ingress group ${desired.properties.group}${says}`);
    throw new PlatformdError(ErrorCodes.RESOURCE_PENDING, `the load balancer controller has not created the ALB of ingress group ${desired.properties.group} yet${says || ' (check the Ingress events)'}`);
  },

  async update(ctx, desired, observed) {
    await nudgeController(ctx, desired.properties.ingresses, new Date().toISOString());
    ctx.progress(`asked the load balancer controller to reconcile ingress group ${desired.properties.group}`);
    return { ...observed, state: { ...observed.state, expected: desired.properties } };
  },

  async delete() {
    // Nothing to do: the controller deletes the ALB when the group's last Ingress is deleted.
  },

  async refresh(ctx, observed) {
    const lb = await describeLoadBalancer(ctx.aws.elbv2, observed.physicalId, ctx.signal);
    const expected = observed.state.expected;
    if (!lb) {
      // Replaced (e.g. a scheme change): look for the group's new ALB by its tags.
      if (!expected) return undefined;
      const again = await observeGroup(ctx, { id: observed.id, kind: ALB_KIND, properties: expected, dependsOn: [] });
      return again ? { ...again, state: { ...again.state, expected } } : undefined;
    }
    // Same ALB as the last poll: skip its target groups already healthy.
    const sameAlb = observed.physicalId === lb.LoadBalancerArn;
    let carry = sameAlb ? healthCarryOf(observed.state.targetGroups) : NO_HEALTH_CARRY;
    if (sameAlb && expected && configurationConverged(expected, observed.state)) {
      // The controller had built what was asked: while targets come up, a poll reads target health
      // only, not every rule and target group again (at 300 services those re-reads were a fifth of
      // an apply's CPU, issue 19). Ready is never answered from here: once every target reads
      // healthy (or a target group is gone), the full read below checks the configuration again,
      // with the health this poll has read and only what is left of its budget.
      const read = await readTargetHealth(ctx.aws.elbv2, observed.state.targetGroups.flatMap((g) => (g.arn ? [g.arn] : [])), carry, ctx.signal);
      const { controllerWarning: _converged, ...configuration } = observed.state;
      const polled = withTargetHealth({ ...configuration, lbState: lb.State?.Code ?? 'unknown' }, read.health);
      if (read.gone.size === 0 && albReady(polled) !== true) return observedOf(observed.id, lb, polled);
      carry = { ...carry, readThisPoll: read.health, budget: HEALTH_READS_PER_POLL - read.reads };
    }
    const live = await readAlb(ctx.aws.elbv2, lb, carry, ctx.signal);
    const listener = expected?.listener ?? { protocol: 'HTTPS' as const, port: 443 };
    const fresh = observedOf(observed.id, lb, albStateFromLive(live, listener));
    if (!expected) return fresh;
    // Still waiting for the controller: say what it complains about, if anything.
    const converged = diffAlb(expected, fresh.state).fields.length === 0;
    const warning = converged ? undefined : await controllerWarning(ctx, expected.ingresses);
    return { ...fresh, state: { ...fresh.state, expected, ...(warning ? { controllerWarning: warning } : {}) } };
  },

  ready(observed) {
    return albReady(observed.state);
  },
});

/** Whether a read found the ALB active and built as expected (target health aside). */
function configurationConverged(expected: AlbDesired, state: AlbState): boolean {
  return state.lbState === 'active' && diffAlb(expected, state).fields.length === 0;
}
