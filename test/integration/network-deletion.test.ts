// Removing the network from the spec plans deletions that are blocked without the opt-in; with it
// they run in reverse dependency order and ride out DependencyViolation (a dependency platformd
// does not own) by waiting.
import t from 'tap';
import { startTestSandbox } from '../helpers/sandbox.js';
import { referenceSpec } from '../helpers/specs.js';
import { applyPlatform, planPlatform } from '../../src/engine.js';
import { AllocateAddressCommand, CreateNatGatewayCommand, DeleteNatGatewayCommand, DescribeAddressesCommand, DescribeSubnetsCommand, DescribeVpcsCommand } from '@aws-sdk/client-ec2';
import type { PlatformSpec } from '../../src/platform-spec/types.js';
import type { ResolvedSpec } from '../../src/platform-spec/resolved.js';
import { withDefaults } from '../../src/platform-spec/defaults.js';

/** The platform torn down to nothing: no services, no cluster, no network sections. */
function withoutNetwork(spec: PlatformSpec, allow: boolean): ResolvedSpec {
  const { network: _n, cluster: _c, services: _s, domain: _d, ...rest } = spec;
  return withDefaults({ ...rest, deletion: { allow: allow ? ['network'] : [] } });
}

t.test('deleting the network needs the opt-in, then runs in reverse order', async (t) => {
  // A small time scale so the NAT gateway really spends time "deleting" and blocks its dependents.
  const sb = await startTestSandbox({ timeScale: 1 / 300 });
  t.teardown(sb.close);
  const spec = await referenceSpec();
  t.ok((await applyPlatform({ spec, aws: sb.clients, layers: ['network'] })).ok);

  const blocked = await planPlatform({ spec: withoutNetwork(spec, false), aws: sb.clients, layers: ['network'] });
  t.equal(blocked.plan.summary.blocked, 12, 'all twelve deletions are blocked');
  t.ok(blocked.plan.changes.every((c) => c.action === '!' && c.reason === 'deletion-not-allowed' && /deletion\.allow: \[network\]/.test(c.blockedBy ?? '')));
  const refused = await applyPlatform({ spec: withoutNetwork(spec, false), aws: sb.clients, layers: ['network'], plan: blocked });
  t.notOk(refused.ok);
  t.equal((await sb.clients.ec2.send(new DescribeVpcsCommand({}))).Vpcs?.length, 1, 'nothing deleted');

  const mark = sb.aws.callLog.mark();
  const result = await applyPlatform({ spec: withoutNetwork(spec, true), aws: sb.clients, layers: ['network'] });
  t.ok(result.ok, JSON.stringify(result.failed));
  t.equal((await sb.clients.ec2.send(new DescribeVpcsCommand({}))).Vpcs?.length, 0, 'the VPC is gone');

  const writes = sb.aws.callLog.since(mark).filter((c) => /^(Delete|Release|Detach|Disassociate)/.test(c.operation));
  const firstOk = (op: string) => writes.findIndex((c) => c.operation === op && c.status === 200);
  const lastOk = (op: string) => writes.map((c) => c.operation === op && c.status === 200).lastIndexOf(true);
  t.ok(lastOk('DeleteRouteTable') < firstOk('DeleteNatGateway'), 'route tables before the NAT gateway');
  t.ok(firstOk('DeleteNatGateway') < firstOk('ReleaseAddress'), 'NAT gateway before its address');
  t.ok(lastOk('DeleteSubnet') < firstOk('DeleteVpc'), 'subnets before the VPC');
  t.ok(firstOk('DetachInternetGateway') < firstOk('DeleteVpc'), 'internet gateway before the VPC');
  t.same((await planPlatform({ spec: withoutNetwork(spec, true), aws: sb.clients, layers: ['network'] })).plan.changes, [], 'nothing left');
});

t.test('a dependency platformd does not own is waited out, not failed', async (t) => {
  const sb = await startTestSandbox({ timeScale: 1 / 300 });
  t.teardown(sb.close);
  const spec = await referenceSpec();
  t.ok((await applyPlatform({ spec, aws: sb.clients, layers: ['network'] })).ok);
  // Someone else's NAT gateway in one of the platform's subnets, untagged (like an ELB or EKS
  // interface on real AWS): while its interface is there, EC2 refuses to delete the subnet and to
  // detach the internet gateway (DependencyViolation). It stays until the engine has met such a
  // refusal, so the refusal happens whatever the timing; then its owner deletes it.
  // NOTE(race): the platform's own NAT interface lingers only 100 ms here, and whether the engine
  // reaches the subnet inside that window depends on load, so it is not what this test counts on.
  const subnetId = (await sb.clients.ec2.send(new DescribeSubnetsCommand({}))).Subnets![0]!.SubnetId!;
  const allocationId = (await sb.clients.ec2.send(new AllocateAddressCommand({ Domain: 'vpc' }))).AllocationId!;
  const foreignNat = (await sb.clients.ec2.send(new CreateNatGatewayCommand({ SubnetId: subnetId, AllocationId: allocationId }))).NatGateway!.NatGatewayId!;
  const refusals: string[] = [];
  let removed: Promise<unknown> | undefined;
  const result = await applyPlatform({ spec: withoutNetwork(spec, true), aws: sb.clients, layers: ['network'], concurrency: 16,
    onEvent: (e) => {
      if (e.type !== 'retry' || !/has dependencies|is in use|mapped public address/.test(e.error)) return;
      refusals.push(e.error);
      removed ??= sb.clients.ec2.send(new DeleteNatGatewayCommand({ NatGatewayId: foreignNat }));
    } });
  await removed;
  t.ok(refusals.length > 0, `met the dependency and waited: ${refusals.join(' | ')}`);
  t.ok(result.ok, JSON.stringify(result.failed));
  t.equal((await sb.clients.ec2.send(new DescribeVpcsCommand({}))).Vpcs?.length, 0, 'the VPC is gone');
  const addresses = (await sb.clients.ec2.send(new DescribeAddressesCommand({}))).Addresses ?? [];
  t.same(addresses.map((a) => a.AllocationId), [allocationId], 'only the address platformd does not own is left');
});
