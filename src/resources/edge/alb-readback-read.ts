// The I/O half of the ALB read-back: find this platform's ALBs among every load balancer of the
// region and read each one's listeners, rules, target groups and (when waiting) target health.
//
// Call budget (ELBv2 shares ~40 burst / 10 per second per account with the load balancer
// controller): DescribeLoadBalancers pages of 400 (1 call for most accounts) and DescribeTags in
// batches of 20 ARNs (its maximum) find ours. Then, per ALB of ours, ELBv2 has no batch reads:
// DescribeListeners takes one load balancer, DescribeRules one listener, DescribeTargetGroups one
// load balancer — one call each (ours has a single listener) plus ⌈target groups / 20⌉ tag calls.
// DescribeTargetHealth takes one target group, so a read with health costs one more call per
// service: the plan's observe skips it (drift needs no health), and only refresh() — used while
// waiting for readiness — pays it, and only for target groups not yet healthy, at most
// HEALTH_READS_PER_POLL of them per poll (300 serial calls per poll at 300 services took ≥ 26 s
// at ELBv2's shared 10 requests/s; issue 19), and at most HEALTH_READS_IN_FLIGHT at once per
// region in the process, however many ALBs (and platforms) are polled side by side.
import {
  DescribeListenersCommand, DescribeLoadBalancersCommand, DescribeRulesCommand, DescribeTagsCommand,
  DescribeTargetGroupsCommand, DescribeTargetHealthCommand, type DescribeListenersCommandOutput, type DescribeRulesCommandOutput, type DescribeTargetGroupsCommandOutput, type ElasticLoadBalancingV2Client, type LoadBalancer,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { isNotFound } from '../../cloud/aws-errors.js';
import { cachePerClient } from '../../cloud/lifetime-cache.js';
import { Semaphore } from '../../semaphore.js';
import type { AlbLive } from './alb-readback-model.js';

export const TAG_CLUSTER = 'elbv2.k8s.aws/cluster';
export const TAG_STACK = 'ingress.k8s.aws/stack';
/** DescribeTags accepts at most this many ARNs per call. */
const TAG_BATCH = 20;
/** DescribeTargetHealth calls per readiness poll, made concurrently (ELBv2's burst is ~40, refill 10/s). */
export const HEALTH_READS_PER_POLL = 10;
/**
 * DescribeTargetHealth calls in flight at once per ELBv2 client — one per region in a process
 * (cloud/aws.ts), shared by every platform of a fleet — whatever the number of ALBs being waited
 * for: at 1000 services ten groups poll side by side, which was up to 100 calls at once against
 * the rate ELBv2 shares with the load balancer controller.
 */
export const HEALTH_READS_IN_FLIGHT = 10;
const healthReadSlots = new WeakMap<ElasticLoadBalancingV2Client, Semaphore>();

/** What a readiness poll knows from the previous one, by target group ARN. */
export interface HealthCarry {
  /** Target groups whose every target was healthy: their count of healthy targets, not re-read. */
  healthy: Map<string, number>;
  /** Target groups read by the previous poll: read after those it did not reach (round robin). */
  readLastPoll: Set<string>;
  /** Target health this poll has read already (a poll that reads the configuration after the health): not read again. */
  readThisPoll?: Map<string, string[]>;
  /** Health reads this poll may still make; HEALTH_READS_PER_POLL when unset. */
  budget?: number;
}

/** One poll's read of target health. */
export interface TargetHealthRead {
  /** States by target group ARN; groups missing were not reached (or are gone). */
  health: Map<string, string[]>;
  /** Target groups ELBv2 no longer knows (the controller replaced or deleted them since they were listed). */
  gone: Set<string>;
  /** DescribeTargetHealth calls made. */
  reads: number;
}

export const NO_HEALTH_CARRY: HealthCarry = { healthy: new Map(), readLastPoll: new Set() };

/**
 * Tags of load balancers and target groups by ARN, across reconciles. The controller sets the
 * tags this read uses (cluster, stack, resource; the ownership annotation) when it creates the
 * object, and an ARN names one object for its whole life (a replacement gets a new ARN), so a
 * no-op reconcile reads no tags at all. Bounded: about 10 target groups per service-sized entry.
 */
export const elbTagCache = cachePerClient<Record<string, string>>(20_000);

/** Tags of many resources in as few calls as DescribeTags allows; what was read before is not read again. */
export async function describeTags(elb: ElasticLoadBalancingV2Client, arns: string[], signal?: AbortSignal): Promise<Map<string, Record<string, string>>> {
  const cache = elbTagCache(elb);
  const out = new Map<string, Record<string, string>>();
  const missing: string[] = [];
  for (const arn of arns) {
    const known = cache.get(arn);
    if (known) out.set(arn, known);
    else missing.push(arn);
  }
  for (let i = 0; i < missing.length; i += TAG_BATCH) {
    const res = await elb.send(new DescribeTagsCommand({ ResourceArns: missing.slice(i, i + TAG_BATCH) }), { abortSignal: signal });
    for (const d of res.TagDescriptions ?? []) {
      if (!d.ResourceArn) continue;
      const tags = Object.fromEntries((d.Tags ?? []).map((t) => [t.Key ?? '', t.Value ?? '']));
      cache.set(d.ResourceArn, tags);
      out.set(d.ResourceArn, tags);
    }
  }
  return out;
}


/** The load balancers of a cluster's ingress stacks, by stack (group) name. */
export async function findStackLoadBalancers(elb: ElasticLoadBalancingV2Client, cluster: string, stacks: Set<string>, signal?: AbortSignal): Promise<Map<string, LoadBalancer>> {
  const all: LoadBalancer[] = [];
  let marker: string | undefined;
  do {
    const page = await elb.send(new DescribeLoadBalancersCommand({ Marker: marker, PageSize: 400 }), { abortSignal: signal });
    // Other people's load balancers cost a tag read the first time they are seen (cached by ARN).
    all.push(...(page.LoadBalancers ?? []).filter((lb) => lb.Type === undefined || lb.Type === 'application'));
    marker = page.NextMarker;
  } while (marker);
  const tags = await describeTags(elb, all.map((lb) => lb.LoadBalancerArn!), signal);
  const out = new Map<string, LoadBalancer>();
  for (const lb of all) {
    const t = tags.get(lb.LoadBalancerArn!) ?? {};
    const stack = t[TAG_STACK];
    if (t[TAG_CLUSTER] === cluster && stack !== undefined && stacks.has(stack)) out.set(stack, lb);
  }
  return out;
}

/** One load balancer by ARN, or undefined when it is gone. */
export async function describeLoadBalancer(elb: ElasticLoadBalancingV2Client, arn: string, signal?: AbortSignal): Promise<LoadBalancer | undefined> {
  try {
    const res = await elb.send(new DescribeLoadBalancersCommand({ LoadBalancerArns: [arn] }), { abortSignal: signal });
    return res.LoadBalancers?.[0];
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw err;
  }
}

/** Listeners, rules, target groups (with tags) and, when asked, target health of one ALB. */
export async function readAlb(elb: ElasticLoadBalancingV2Client, lb: LoadBalancer, withHealth: false | HealthCarry, signal?: AbortSignal): Promise<AlbLive> {
  const opts = { abortSignal: signal };
  const listeners: AlbLive['listeners'] = [];
  let marker: string | undefined;
  do {
    const page: DescribeListenersCommandOutput = await elb.send(new DescribeListenersCommand({ LoadBalancerArn: lb.LoadBalancerArn, Marker: marker, PageSize: 400 }), opts);
    listeners.push(...(page.Listeners ?? []));
    marker = page.NextMarker;
  } while (marker);
  const rules: AlbLive['rules'] = new Map();
  for (const l of listeners) {
    const list: NonNullable<ReturnType<AlbLive['rules']['get']>> = [];
    let m: string | undefined;
    do {
      const page: DescribeRulesCommandOutput = await elb.send(new DescribeRulesCommand({ ListenerArn: l.ListenerArn, Marker: m, PageSize: 400 }), opts);
      list.push(...(page.Rules ?? []));
      m = page.NextMarker;
    } while (m);
    rules.set(l.ListenerArn ?? '', list);
  }
  const targetGroups: AlbLive['targetGroups'] = [];
  marker = undefined;
  do {
    const page: DescribeTargetGroupsCommandOutput = await elb.send(new DescribeTargetGroupsCommand({ LoadBalancerArn: lb.LoadBalancerArn, Marker: marker, PageSize: 400 }), opts);
    targetGroups.push(...(page.TargetGroups ?? []));
    marker = page.NextMarker;
  } while (marker);
  const targetGroupTags = await describeTags(elb, targetGroups.map((g) => g.TargetGroupArn!), signal);
  if (!withHealth) return { loadBalancer: lb, listeners, rules, targetGroups, targetGroupTags };
  const { health } = await readTargetHealth(elb, targetGroups.map((g) => g.TargetGroupArn!), withHealth, signal);
  return { loadBalancer: lb, listeners, rules, targetGroups, targetGroupTags, health };
}

/**
 * Target health of the given target groups for one readiness poll: what the carry knows (healthy
 * before, or read earlier in this poll) is not read again, the rest at most the poll's budget at a
 * time, the ones the last poll did not reach first. Target groups missing from the answer were not
 * reached (or are gone); ready() waits for them.
 */
export async function readTargetHealth(elb: ElasticLoadBalancingV2Client, arns: readonly string[], carry: HealthCarry, signal?: AbortSignal): Promise<TargetHealthRead> {
  const health = new Map<string, string[]>();
  const gone = new Set<string>();
  const toRead: string[] = [];
  for (const arn of arns) {
    const known = carry.readThisPoll?.get(arn);
    const healthy = carry.healthy.get(arn);
    if (known) health.set(arn, known);
    else if (healthy !== undefined) health.set(arn, Array.from({ length: healthy }, () => 'healthy'));
    else toRead.push(arn);
  }
  toRead.sort((a, b) => Number(carry.readLastPoll.has(a)) - Number(carry.readLastPoll.has(b)));
  const reading = toRead.slice(0, Math.max(0, carry.budget ?? HEALTH_READS_PER_POLL));
  let slots = healthReadSlots.get(elb);
  if (!slots) healthReadSlots.set(elb, (slots = new Semaphore(HEALTH_READS_IN_FLIGHT)));
  await Promise.all(reading.map(async (arn) => {
    try {
      const res = await slots.run(() => elb.send(new DescribeTargetHealthCommand({ TargetGroupArn: arn }), { abortSignal: signal }), signal);
      health.set(arn, (res.TargetHealthDescriptions ?? []).map((d) => d.TargetHealth?.State ?? 'unavailable'));
    } catch (err) {
      if (!isNotFound(err)) throw err;
      gone.add(arn);
    }
  }));
  return { health, gone, reads: reading.length };
}

/**
 * What the next poll may skip: target groups whose targets were all healthy. A group once healthy
 * is not re-read while this wait lasts (a target turning unhealthy later is the probes' and the
 * next plan's to see, not readiness's), so a poll's calls shrink as the ALB converges.
 */
export function healthCarryOf(targetGroups: readonly { arn?: string; healthRead?: boolean; healthy: number; total: number }[]): HealthCarry {
  const carry: HealthCarry = { healthy: new Map(), readLastPoll: new Set() };
  for (const g of targetGroups) {
    if (!g.arn || !g.healthRead) continue;
    if (g.total > 0 && g.healthy === g.total) carry.healthy.set(g.arn, g.healthy);
    else carry.readLastPoll.add(g.arn);
  }
  return carry;
}
