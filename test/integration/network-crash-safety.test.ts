// An apply killed after the VPC and some subnets exist, then re-run, converges with no duplicates.
import t from 'tap';
import { startTestSandbox } from '../helpers/sandbox.js';
import { referenceSpec } from '../helpers/specs.js';
import { applyPlatform, planPlatform } from '../../src/engine.js';
import { DescribeAddressesCommand, DescribeNatGatewaysCommand, DescribeSubnetsCommand, DescribeVpcsCommand } from '@aws-sdk/client-ec2';

t.test('a killed apply re-runs to convergence without duplicates', async (t) => {
  const sb = await startTestSandbox();
  t.teardown(sb.close);
  const opts = { spec: await referenceSpec(), aws: sb.clients, layers: ['network' as const], concurrency: 2 };

  // Kill the run once the VPC and three subnets exist: abort on the third CreateSubnet.
  const ac = new AbortController();
  let subnetsCreated = 0;
  const killed = await applyPlatform({ ...opts, signal: ac.signal, onEvent: (e) => {
    if (e.type === 'change-done' && e.id.startsWith('network/subnet/') && ++subnetsCreated === 3) ac.abort(new Error('killed'));
  } });
  t.notOk(killed.ok, 'the first run did not finish');
  const ec2 = sb.clients.ec2;
  t.equal((await ec2.send(new DescribeVpcsCommand({}))).Vpcs?.length, 1);
  t.ok(((await ec2.send(new DescribeSubnetsCommand({}))).Subnets?.length ?? 0) >= 3);

  // A second interruption in the worst place: CreateNatGateway succeeds but its answer is lost (every attempt).
  sb.aws.faults.add({ kind: 'drop-response', service: 'ec2', operation: 'CreateNatGateway', count: 10 });
  await applyPlatform(opts);
  const rerun = await applyPlatform(opts);
  t.ok(rerun.ok, `re-run converges: ${JSON.stringify(rerun.failed)}`);
  t.same((await planPlatform(opts)).plan.changes, []);

  t.equal((await ec2.send(new DescribeVpcsCommand({}))).Vpcs?.length, 1, 'one VPC');
  t.equal((await ec2.send(new DescribeSubnetsCommand({}))).Subnets?.length, 6, 'six subnets');
  t.equal((await ec2.send(new DescribeAddressesCommand({}))).Addresses?.length, 1, 'one Elastic IP');
  t.equal((await ec2.send(new DescribeNatGatewaysCommand({ Filter: [{ Name: 'state', Values: ['pending', 'available'] }] }))).NatGateways?.length, 1, 'one NAT gateway');
});
