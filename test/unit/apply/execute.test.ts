// One change's steps with a fake kind: delete waits until the object is gone, every mutating
// attempt passes the fence (retries included), and refs resolve from the outputs known so far.
import t from 'tap';
import type { Desired, KindContext, Observed, ResourceKind } from '../../../src/resources/kind.js';
import { ref } from '../../../src/resources/kind.js';
import type { ApplyEvent } from '../../../src/apply/events.js';
import { createResource, deleteResource, resolveDesired, type StepContext } from '../../../src/apply/execute.js';
import { ErrorCodes, PlatformdError } from '../../../src/errors.js';

type Props = Record<string, unknown>;
const ctx = { signal: new AbortController().signal } as unknown as KindContext;
const live: Observed<Props> = { id: 'network/nat/a', kind: 'fake', physicalId: 'nat-1', state: {}, outputs: {}, owned: true, status: 'available' };

function kindWith(overrides: Partial<ResourceKind<Props, Props>>): ResourceKind<Props, Props> {
  return {
    kind: 'fake',
    observeAll: async () => [],
    diff: () => ({ fields: [], replaces: [] }),
    create: async (_c, d: Desired<Props>) => ({ ...live, id: d.id, state: d.properties }),
    update: async (_c, _d, o) => o,
    delete: async () => {},
    refresh: async () => undefined,
    ready: () => true,
    ...overrides,
  };
}

function step(kind: ResourceKind, events: ApplyEvent[] = [], fence?: () => void): StepContext {
  return { id: live.id, kind, ctx, emit: (e) => events.push(e), ...(fence ? { fence } : {}) };
}

t.test('delete returns once refresh finds nothing or the kind says gone', async (t) => {
  const states = ['deleting', 'deleting', 'deleted'];
  let refreshes = 0;
  const kind = kindWith({
    refresh: async () => ({ ...live, status: states[Math.min(refreshes++, states.length - 1)] }),
    gone: (o) => o.status === 'deleted',
  });
  await deleteResource(step(kind), live);
  t.equal(refreshes, 3, 'polled until the NAT gateway read back deleted');
});

t.test('every mutating attempt passes the fence, retries included', async (t) => {
  let fenced = 0;
  let attempts = 0;
  const kind = kindWith({
    create: async (_c, d: Desired<Props>) => {
      if (attempts++ === 0) throw Object.assign(new Error('Rate exceeded'), { name: 'Throttling', $metadata: { httpStatusCode: 400 } });
      return { ...live, id: d.id };
    },
  });
  const events: ApplyEvent[] = [];
  await createResource(step(kind, events, () => { fenced++; }), { id: live.id, kind: 'fake', properties: {}, dependsOn: [] });
  t.equal(attempts, 2);
  t.equal(fenced, 2, 'the fence was checked before each attempt');
  t.match(events, [{ type: 'retry', id: live.id, attempt: 1, error: /^create: Rate exceeded/ }]);
});

t.test('a closed fence stops the call before it is made', async (t) => {
  let created = 0;
  const kind = kindWith({ create: async (_c, d: Desired<Props>) => { created++; return { ...live, id: d.id }; } });
  await t.rejects(createResource(step(kind, [], () => { throw new Error('not the leader any more'); }), { id: live.id, kind: 'fake', properties: {}, dependsOn: [] }), /not the leader/);
  t.equal(created, 0);
});

t.test('refs resolve from the outputs known so far; nested ones too', async (t) => {
  const desired: Desired = { id: 'network/route-table/a', kind: 'fake', dependsOn: [], properties: { vpcId: ref('network/vpc', 'vpcId'), routes: [{ natGatewayId: ref('network/nat/a', 'natGatewayId') }] } };
  const outputs = new Map([['network/vpc', { vpcId: 'vpc-1' }], ['network/nat/a', { natGatewayId: 'nat-1' }]]);
  t.same(resolveDesired(desired, outputs).properties, { vpcId: 'vpc-1', routes: [{ natGatewayId: 'nat-1' }] });
  t.throws(() => resolveDesired(desired, new Map([['network/vpc', { vpcId: 'vpc-1' }]])), { code: 'PLATFORMD_APPLY_FAILED', message: /values not known after dependencies applied/ });
});

t.test('waiting for what another actor makes is a progress line, not a failed attempt', async (t) => {
  let attempts = 0;
  const kind = kindWith({
    create: async (_c, d: Desired<Props>) => {
      if (attempts++ < 2) throw new PlatformdError(ErrorCodes.RESOURCE_PENDING, 'the load balancer controller has not created the ALB of ingress group g yet');
      return { ...live, id: d.id };
    },
  });
  const events: ApplyEvent[] = [];
  await createResource(step(kind, events), { id: live.id, kind: 'fake', properties: {}, dependsOn: [] });
  t.equal(attempts, 3, 'retried until it was there');
  t.same(events.filter((e) => e.type === 'retry'), [], 'no retry (warning) events');
  t.match(events.filter((e) => e.type === 'progress'), [
    { id: live.id, message: /^still waiting… \[\d+s\] \(the load balancer controller has not created the ALB of ingress group g yet\)$/ },
    { id: live.id, message: /^still waiting… / },
  ]);
});
