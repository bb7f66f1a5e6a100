// The executor without a sandbox: fake kinds that keep objects in a map. The walk runs changes in
// dependency order with outputs resolved, a replacement deletes then creates, failures leave
// wrapped with verb and logical id (cause kept, terminal marked), and dependents are skipped.
import t from 'tap';
import type { Desired, KindContext, Observed, ResourceKind } from '../../../src/resources/kind.js';
import { ref } from '../../../src/resources/kind.js';
import type { Change, Plan } from '../../../src/plan/types.js';
import type { DesiredGraph } from '../../../src/graph/build.js';
import type { ApplyEvent } from '../../../src/apply/events.js';
import { applyPlan, changeFailure } from '../../../src/apply/apply-plan.js';
import { progressLine } from '../../../src/apply/progress-text.js';
import { ErrorCodes, PlatformdError, describeError, isTerminalError } from '../../../src/errors.js';

type Props = Record<string, unknown>;

/** A kind whose objects live in `store`; `fail` makes create throw for an id. */
function fakeKind(name: string, store: Map<string, Observed>, calls: string[], fail: Map<string, unknown> = new Map()): ResourceKind<Props, Props> {
  return {
    kind: name,
    observeAll: async () => [...store.values()],
    diff: (desired, observed) => {
      const fields = Object.keys(desired).filter((k) => desired[k] !== observed.state[k]).map((path) => ({ path, old: observed.state[path], new: desired[path] }));
      return { fields, replaces: [] };
    },
    create: async (_ctx, desired: Desired<Props>) => {
      calls.push(`create ${desired.id}`);
      if (fail.has(desired.id)) throw fail.get(desired.id);
      const o: Observed<Props> = { id: desired.id, kind: name, physicalId: `${desired.id}-phys`, state: desired.properties, outputs: { id: `${desired.id}-phys`, ...desired.properties }, owned: true };
      store.set(desired.id, o);
      return o;
    },
    update: async (_ctx, desired: Desired<Props>, observed) => {
      calls.push(`update ${desired.id}`);
      const o = { ...observed, state: desired.properties, outputs: { ...observed.outputs, ...desired.properties } };
      store.set(desired.id, o);
      return o;
    },
    delete: async (_ctx, observed) => {
      calls.push(`delete ${observed.id}`);
      store.delete(observed.id);
    },
    refresh: async (_ctx, observed) => store.get(observed.id),
    ready: () => true,
  };
}

const context = { platform: 'demo', region: 'ap-northeast-1', signal: new AbortController().signal, progress: () => {} } as unknown as KindContext;

function graphOf(nodes: Desired[]): DesiredGraph {
  const deps = new Map(nodes.map((n) => [n.id, new Set(n.dependsOn)]));
  return { nodes: new Map(nodes.map((n) => [n.id, n])), deps, order: nodes.map((n) => n.id), external: new Map() };
}

function planOf(changes: Change[]): Plan {
  return { platform: 'demo', changes, summary: { create: 0, update: 0, delete: 0, replace: 0, blocked: 0 }, inSync: [], operatorActions: [], notes: [] };
}

function change(id: string, action: Change['action'], dependsOn: string[] = []): Change {
  return { id, kind: 'fake', action, reason: 'missing', fields: [], dependsOn };
}

const vpc: Desired = { id: 'network/vpc', kind: 'fake', properties: { cidr: '10.0.0.0/16' }, dependsOn: [] };
const subnet: Desired = { id: 'network/subnet/a', kind: 'fake', properties: { vpcId: ref('network/vpc', 'id') }, dependsOn: ['network/vpc'] };

t.test('creates in dependency order, resolving a dependency\'s outputs', async (t) => {
  const store = new Map<string, Observed>();
  const calls: string[] = [];
  const kind = fakeKind('fake', store, calls);
  const events: ApplyEvent[] = [];
  const result = await applyPlan({
    plan: planOf([change('network/subnet/a', '+', ['network/vpc']), change('network/vpc', '+')]),
    graph: graphOf([vpc, subnet]), observed: new Map(), kindOf: () => kind, contextFor: () => context,
    emit: (e) => events.push(e), concurrency: 4,
  });
  t.ok(result.ok);
  t.same(calls, ['create network/vpc', 'create network/subnet/a']);
  t.equal(store.get('network/subnet/a')?.state.vpcId, 'network/vpc-phys', 'the subnet got the VPC id created just before');
  t.same(result.resources?.map((r) => r.id).sort(), ['network/subnet/a', 'network/vpc']);
  t.same(events.filter((e) => e.type === 'change-done').map((e) => e.id), ['network/vpc', 'network/subnet/a']);
});

t.test('a failure is wrapped with verb and id, its cause kept, and its dependents skipped', async (t) => {
  const store = new Map<string, Observed>();
  const calls: string[] = [];
  const refused = Object.assign(new Error('not authorized to perform: ec2:CreateVpc'), { name: 'UnauthorizedOperation' });
  const kind = fakeKind('fake', store, calls, new Map([['network/vpc', refused]]));
  const events: ApplyEvent[] = [];
  const result = await applyPlan({
    plan: planOf([change('network/vpc', '+'), change('network/subnet/a', '+', ['network/vpc'])]),
    graph: graphOf([vpc, subnet]), observed: new Map(), kindOf: () => kind, contextFor: () => context,
    emit: (e) => events.push(e), concurrency: 4,
  });
  t.notOk(result.ok);
  t.same(result.failed, [{ id: 'network/vpc', error: 'create network/vpc: UnauthorizedOperation: not authorized to perform: ec2:CreateVpc' }]);
  t.match(events.find((e) => e.type === 'change-failed'), { id: 'network/vpc', action: '+', error: result.failed[0]!.error }, 'the event carries the same text');
  t.equal((events.find((e) => e.type === 'change-failed') as { cause?: string }).cause, 'UnauthorizedOperation: not authorized to perform: ec2:CreateVpc', 'and the cause alone, for lines that already name the change');
  t.equal(progressLine(events.find((e) => e.type === 'change-failed')!, new Date(0)), '00:00:00 network/vpc: FAILED: UnauthorizedOperation: not authorized to perform: ec2:CreateVpc', 'the progress line names the change once');
  t.same(result.skipped, [{ id: 'network/subnet/a', because: 'network/vpc failed' }]);
  t.same(calls, ['create network/vpc'], 'the subnet was not attempted');
});

t.test('a terminal cause marks the failure terminal', async (t) => {
  const kind = fakeKind('fake', new Map(), [], new Map([['network/vpc', new PlatformdError(ErrorCodes.GRAPH_CYCLE, 'dependency cycle: a → b → a')]]));
  const result = await applyPlan({
    plan: planOf([change('network/vpc', '+')]), graph: graphOf([vpc]), observed: new Map(), kindOf: () => kind, contextFor: () => context,
    emit: () => {}, concurrency: 1,
  });
  t.same(result.failed, [{ id: 'network/vpc', error: 'create network/vpc: dependency cycle: a → b → a', terminal: true }]);
});

t.test('a replacement deletes, then creates; an update diffs and updates', async (t) => {
  const old: Observed = { id: 'network/vpc', kind: 'fake', physicalId: 'vpc-old', state: { cidr: '10.1.0.0/16' }, outputs: { id: 'vpc-old' }, owned: true };
  const drifted: Observed = { id: 'network/subnet/a', kind: 'fake', physicalId: 'subnet-1', state: { vpcId: 'vpc-old' }, outputs: {}, owned: true };
  const store = new Map([[old.id, old], [drifted.id, drifted]]);
  const calls: string[] = [];
  const kind = fakeKind('fake', store, calls);
  const result = await applyPlan({
    plan: planOf([change('network/vpc', '-/+'), change('network/subnet/a', '~', ['network/vpc'])]),
    graph: graphOf([vpc, subnet]), observed: new Map([[old.id, old], [drifted.id, drifted]]), kindOf: () => kind, contextFor: () => context,
    emit: () => {}, concurrency: 4,
  });
  t.ok(result.ok);
  t.same(calls, ['delete network/vpc', 'create network/vpc', 'update network/subnet/a']);
  t.equal(store.get('network/subnet/a')?.state.vpcId, 'network/vpc-phys', 'the update used the replacement\'s id');
});

t.test('a value still unknown after the dependencies ran fails the change, naming it', async (t) => {
  const kind = fakeKind('fake', new Map(), []);
  const result = await applyPlan({
    plan: planOf([change('network/subnet/a', '+')]), graph: graphOf([subnet]), observed: new Map(), kindOf: () => kind, contextFor: () => context,
    emit: () => {}, concurrency: 1,
  });
  t.match(result.failed[0]?.error, /^create network\/subnet\/a: network\/subnet\/a: values not known after dependencies applied: /);
});

t.test('changeFailure keeps the cause and names the verb of each action', async (t) => {
  const cause = new Error('boom');
  const cases: [Change['action'], string][] = [['+', 'create'], ['~', 'update'], ['-', 'delete'], ['-/+', 'replace']];
  for (const [action, verb] of cases) {
    const failure = changeFailure({ id: 'x/y', action }, cause);
    t.equal(describeError(failure), `${verb} x/y: boom`, `${action} reads ${verb}`);
    t.equal(failure.cause, cause);
    t.notOk(isTerminalError(failure));
  }
});
