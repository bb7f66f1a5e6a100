// Readiness polls read target health only for target groups not yet healthy, at most
// HEALTH_READS_PER_POLL per poll (issue 19: one call per target group per poll, serially, before).
import t from 'tap';
import type { ElasticLoadBalancingV2Client, LoadBalancer } from '@aws-sdk/client-elastic-load-balancing-v2';
import { HEALTH_READS_IN_FLIGHT, HEALTH_READS_PER_POLL, healthCarryOf, NO_HEALTH_CARRY, readAlb, readTargetHealth, type HealthCarry } from '../../../../src/resources/edge/alb-readback-read.js';
import { albReady, albStateFromLive, type AlbState } from '../../../../src/resources/edge/alb-readback-model.js';

const GROUPS = 25;
const arns = Array.from({ length: GROUPS }, (_, i) => `arn:aws:elasticloadbalancing:ap-northeast-1:123456789012:targetgroup/k8s-tg${i}/${i}`);

/** An ELBv2 stand-in: one ALB, one listener, GROUPS target groups; tests decide which are healthy. */
function fakeElb(healthy: Set<string>, healthReads: string[]): ElasticLoadBalancingV2Client {
  const send = async (command: { constructor: { name: string }; input: Record<string, unknown> }) => {
    switch (command.constructor.name) {
      case 'DescribeListenersCommand': return { Listeners: [{ ListenerArn: 'l1', Protocol: 'HTTPS', Port: 443 }] };
      case 'DescribeRulesCommand': return { Rules: [] };
      case 'DescribeTargetGroupsCommand': return { TargetGroups: arns.map((a) => ({ TargetGroupArn: a, ProtocolVersion: 'GRPC' })) };
      case 'DescribeTagsCommand': return { TagDescriptions: (command.input.ResourceArns as string[]).map((a) => ({ ResourceArn: a, Tags: [{ Key: 'ingress.k8s.aws/resource', Value: a }] })) };
      case 'DescribeTargetHealthCommand': {
        const arn = command.input.TargetGroupArn as string;
        healthReads.push(arn);
        const state = healthy.has(arn) ? 'healthy' : 'initial';
        return { TargetHealthDescriptions: [{ TargetHealth: { State: state } }, { TargetHealth: { State: state } }] };
      }
      default: throw new Error(`unexpected ${command.constructor.name}`);
    }
  };
  return { send } as unknown as ElasticLoadBalancingV2Client;
}

const lb: LoadBalancer = { LoadBalancerArn: 'arn:lb', Scheme: 'internet-facing', State: { Code: 'active' } };

t.test('each poll reads at most the budget, skips healthy groups, and is ready only once every group was read healthy', async (t) => {
  const healthy = new Set<string>();
  const reads: string[] = [];
  const elb = fakeElb(healthy, reads);
  let carry: HealthCarry = NO_HEALTH_CARRY;
  let state: AlbState | undefined;
  const perPoll: number[] = [];
  const readBefore = new Set<string>();
  for (let poll = 0; poll < 20; poll++) {
    // Targets turn healthy over time: five more groups per poll.
    for (const a of arns.slice(0, (poll + 1) * 5)) healthy.add(a);
    const start = reads.length;
    state = albStateFromLive(await readAlb(elb, lb, carry, undefined), { protocol: 'HTTPS', port: 443 });
    const thisPoll = reads.slice(start);
    perPoll.push(thisPoll.length);
    for (const a of thisPoll) t.notOk(carry.healthy.has(a), `poll ${poll} re-read ${a}, already healthy`);
    for (const a of thisPoll) readBefore.add(a);
    carry = healthCarryOf(state.targetGroups);
    if (albReady(state) === true) break;
    t.not(albReady(state), true);
  }
  t.ok(perPoll.every((n) => n <= HEALTH_READS_PER_POLL), `calls per poll ${perPoll.join(', ')}`);
  t.equal(perPoll[0], HEALTH_READS_PER_POLL, 'the first poll spends its budget');
  t.equal(albReady(state!), true, 'ready once every target group was read healthy');
  t.equal(readBefore.size, GROUPS, 'every target group was read');
  t.ok(reads.length < GROUPS * perPoll.length, `${reads.length} health reads over ${perPoll.length} polls`);
});

t.test('a poll that did not reach every target group is not ready, even when all it read are healthy', async (t) => {
  const elb = fakeElb(new Set(arns), []);
  const state = albStateFromLive(await readAlb(elb, lb, NO_HEALTH_CARRY, undefined), { protocol: 'HTTPS', port: 443 });
  const ready = albReady(state);
  t.not(ready, true);
  t.match(ready, { waiting: /target groups not read yet/ });
});

t.test('unhealthy groups are read round robin: those the last poll did not reach come first', async (t) => {
  const reads: string[] = [];
  const elb = fakeElb(new Set(), reads);
  const first = albStateFromLive(await readAlb(elb, lb, NO_HEALTH_CARRY, undefined), { protocol: 'HTTPS', port: 443 });
  const firstReads = new Set(reads.splice(0));
  await readAlb(elb, lb, healthCarryOf(first.targetGroups), undefined);
  t.equal(reads.filter((a) => firstReads.has(a)).length, 0, 'the second poll reads groups the first did not');
});

t.test('ALBs polled side by side share one bound: at most HEALTH_READS_IN_FLIGHT target health reads at once per client', async (t) => {
  let inFlight = 0;
  let most = 0;
  const released: (() => void)[] = [];
  const send = async () => {
    inFlight++;
    most = Math.max(most, inFlight);
    await new Promise<void>((resolve) => released.push(resolve));
    inFlight--;
    return { TargetHealthDescriptions: [{ TargetHealth: { State: 'healthy' } }] };
  };
  const elb = { send } as unknown as ElasticLoadBalancingV2Client;
  const albs = 3;
  const polls = Array.from({ length: albs }, (_, a) => readTargetHealth(elb, arns.slice(0, HEALTH_READS_PER_POLL).map((arn) => `${arn}-alb${a}`), NO_HEALTH_CARRY, undefined));
  // Let the reads through one at a time; the bound decides how many are waiting on ELBv2 at once.
  for (let answered = 0; answered < albs * HEALTH_READS_PER_POLL; answered++) {
    while (released.length === 0) await new Promise((r) => setImmediate(r));
    released.shift()!();
  }
  const reads = await Promise.all(polls);
  t.equal(most, HEALTH_READS_IN_FLIGHT, `${most} reads in flight at most, for ${albs} ALBs of ${HEALTH_READS_PER_POLL} reads each`);
  t.same(reads.map((r) => r.health.size), [HEALTH_READS_PER_POLL, HEALTH_READS_PER_POLL, HEALTH_READS_PER_POLL], 'every read answered');
});
