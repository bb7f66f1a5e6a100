// A route deleted or a tag changed behind platformd's back shows as exactly that change; apply repairs it.
import t from 'tap';
import { startTestSandbox } from '../helpers/sandbox.js';
import { referenceSpec } from '../helpers/specs.js';
import { applyPlatform, planPlatform } from '../../src/engine.js';
import { CreateTagsCommand, DeleteRouteCommand } from '@aws-sdk/client-ec2';

t.test('drift is reported field by field and repaired', async (t) => {
  const sb = await startTestSandbox();
  t.teardown(sb.close);
  const opts = { spec: await referenceSpec(), aws: sb.clients, layers: ['network' as const] };
  t.ok((await applyPlatform(opts)).ok);

  const before = await planPlatform(opts);
  const privateRt = before.observed.get('network/route-table/private')!;
  const subnet = before.observed.get('network/subnet/public-a')!;
  await sb.clients.ec2.send(new DeleteRouteCommand({ RouteTableId: privateRt.physicalId, DestinationCidrBlock: '0.0.0.0/0' }));
  await sb.clients.ec2.send(new CreateTagsCommand({ Resources: [subnet.physicalId], Tags: [{ Key: 'kubernetes.io/role/elb', Value: '0' }] }));

  const drifted = await planPlatform(opts);
  t.same(drifted.plan.changes.map((c) => [c.id, c.action, c.reason]), [
    ['network/subnet/public-a', '~', 'drift'],
    ['network/route-table/private', '~', 'drift'],
  ]);
  const natId = before.observed.get('network/nat-gateway/nat')!.physicalId;
  t.same(drifted.plan.changes.find((c) => c.id === 'network/route-table/private')!.fields,
    [{ path: 'routes.0.0.0.0/0', old: null, new: { natGatewayId: natId } }], 'exactly the missing route');
  t.same(drifted.plan.changes.find((c) => c.id === 'network/subnet/public-a')!.fields,
    [{ path: 'tags.kubernetes.io/role/elb', old: '0', new: '1' }], 'exactly the changed tag');

  const repaired = await applyPlatform({ ...opts, plan: drifted });
  t.ok(repaired.ok);
  t.same((await planPlatform(opts)).plan.changes, [], 'converged again');
});
