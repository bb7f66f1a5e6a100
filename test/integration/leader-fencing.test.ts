// Fencing while an apply is in flight: the replica's Lease renewals are refused (fault injection
// on the management cluster's Lease API); the engine's fence and the leadership signal stop the
// apply, and no mutating AWS call arrives after the renew deadline (bounded generously: the fence
// is checked before each call is sent; the call log records arrival after injected latency).
import t from 'tap';
import { KubeConfig } from '@kubernetes/client-node';
import { startTestSandbox } from '../helpers/sandbox.js';
import { referenceSpec } from '../helpers/specs.js';
import { applyPlatform } from '../../src/engine.js';
import { kubeLeaseStore } from '../../src/leader/lease-store.js';
import { LeaderElector } from '../../src/leader/elector.js';
import { withFence } from '../../src/cloud/fence.js';
import { ErrorCodes, PlatformdError } from '../../src/errors.js';
import { CreateVpcCommand, DescribeVpcsCommand } from '@aws-sdk/client-ec2';

const MUTATING = /^(Create|Delete|Modify|Associate|Attach|Allocate|Replace|Authorize|Revoke|Release|Disassociate|Detach)/;
// Slow enough that the apply is still in flight a renew deadline after renewals are blocked.
const LATENCY_MS = 600;

t.test('a leader whose renewals are blocked stops mutating mid-apply', async (t) => {
  const sb = await startTestSandbox();
  t.teardown(sb.close);
  const kc = new KubeConfig();
  kc.loadFromString(sb.management.kubeconfig());
  const lost = new AbortController();
  // Short timings, but with room for a loaded machine: renewals must not lapse on their own.
  const elector = new LeaderElector({ store: kubeLeaseStore(kc, 'default', 'platformd-fencing', 2_000), identity: 'replica-a',
    leaseDurationMs: 6_000, renewDeadlineMs: 4_000, retryPeriodMs: 500, onStoppedLeading: (why) => lost.abort(new Error(why)) });
  const campaign = new AbortController();
  const running = elector.run(campaign.signal);
  t.teardown(async () => { campaign.abort(); await running; });
  for (const until = Date.now() + 20_000; !elector.isLeader() && Date.now() < until;) await new Promise((r) => setTimeout(r, 20));
  t.ok(elector.isLeader(), 'leads');

  let deadline = 0;
  const watch = setInterval(() => { deadline = elector.fencedAt() ?? deadline; }, 5);
  t.teardown(() => clearInterval(watch));
  sb.aws.faults.add({ kind: 'latency', latencyMs: LATENCY_MS, service: 'ec2' });
  let blocked = false;
  const result = await applyPlatform({ spec: await referenceSpec(), aws: sb.clients, layers: ['network'], concurrency: 2, signal: lost.signal, fence: () => elector.assertLeader(),
    onEvent: (e) => {
      if (e.type !== 'change-done' || blocked) return;
      blocked = true;
      sb.management.server.fault = ({ path }) => (path.includes('/leases/') ? { code: 503, reason: 'ServiceUnavailable', message: 'injected: the Lease API is unavailable' } : undefined);
    } });
  const returned = Date.now();
  t.ok(blocked, 'renewals were blocked after the first change completed');
  t.notOk(result.ok, 'the apply did not finish');
  t.ok(result.skipped.length + result.failed.length > 0, `${result.applied.length} applied, ${result.failed.length} failed, ${result.skipped.length} skipped`);
  t.notOk(elector.isLeader(), 'no longer leads');
  t.ok(deadline > 0, 'the renew deadline was known');
  const mutations = () => sb.aws.callLog.all().filter((c) => c.service === 'ec2' && MUTATING.test(c.operation));
  const late = mutations().filter((c) => c.at - LATENCY_MS > deadline + 1_000);
  t.same(late.map((c) => c.operation), [], 'no mutating call arrived after the renew deadline');
  // Calls sent before the apply returned may still land (the sandbox logs a call after its injected
  // latency); none may be sent after it.
  await new Promise((r) => setTimeout(r, LATENCY_MS + 1_500));
  const sentAfter = mutations().filter((c) => c.at - LATENCY_MS > returned + 300);
  t.same(sentAfter.map((c) => c.operation), [], 'and none sent after the apply returned');
  sb.management.server.fault = undefined;
});

t.test('the SDK clients themselves refuse a mutating call under a failed fence, reads pass', async (t) => {
  const sb = await startTestSandbox();
  t.teardown(sb.close);
  const fenced = () => { throw new PlatformdError(ErrorCodes.NOT_LEADER, 'not the leader any more'); };
  const mark = sb.aws.callLog.all().length;
  await withFence(fenced, async () => {
    await t.resolves(sb.clients.ec2.send(new DescribeVpcsCommand({})), 'a read is sent');
    // Inside a kind's create that makes several calls, after the engine's own check passed.
    await t.rejects(sb.clients.ec2.send(new CreateVpcCommand({ CidrBlock: '10.9.0.0/16' })), { code: 'PLATFORMD_NOT_LEADER' }, 'a change is refused before it is sent');
  });
  t.same(sb.aws.callLog.all().slice(mark).map((c) => c.operation), ['DescribeVpcs'], 'only the read reached AWS');
  await t.resolves(sb.clients.ec2.send(new CreateVpcCommand({ CidrBlock: '10.9.0.0/16' })), 'outside the fenced apply the same client still changes things');
});
