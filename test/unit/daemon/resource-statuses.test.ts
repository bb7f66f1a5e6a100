// /status resources: a drifted resource says which side moved (the plan change's origin); others carry none.
import t from 'tap';
import { resourceStatuses } from '../../../src/daemon-status.js';
import type { Change, Plan } from '../../../src/plan/types.js';

const outside: Change = { id: 'network/vpc', kind: 'ec2/vpc', action: '~', reason: 'drift', origin: 'outside', dependsOn: [], physicalId: 'vpc-1',
  fields: [{ path: 'enableDnsHostnames', old: false, new: true }], fieldOrigins: { enableDnsHostnames: 'outside' } };
const create: Change = { id: 'network/subnet/a', kind: 'ec2/subnet', action: '+', reason: 'missing', dependsOn: [], fields: [] };
const plan: Plan = { platform: 'demo', changes: [outside, create], summary: { create: 1, update: 1, delete: 0, replace: 0, blocked: 0 }, inSync: [], operatorActions: [], notes: [] };

t.test('a drifted resource carries its origin; a missing one none', async (t) => {
  const [subnet, vpc] = resourceStatuses(plan, new Map());
  t.match(vpc, { id: 'network/vpc', state: 'drifted', origin: 'outside' });
  t.notOk(subnet && 'origin' in subnet, 'a create has no origin');
});
