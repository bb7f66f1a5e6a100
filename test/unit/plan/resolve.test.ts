// resolveRefs: every OutputRef whose producer has the value is replaced, wherever it sits (nested
// objects, lists, lists of objects); the rest stay in place and are named once as unknown.
import t from 'tap';
import { resolveRefs } from '../../../src/plan/resolve.js';
import { ref } from '../../../src/resources/kind.js';

const outputs: Record<string, Record<string, unknown>> = {
  'network/vpc': { vpcId: 'vpc-1', cidr: '10.0.0.0/16' },
  'network/subnet/a': { subnetId: 'subnet-a' },
  'eks/cluster': { port: 0, endpoint: '', public: false, issuer: null, tags: { team: 'x' } },
};
const lookup = (id: string) => outputs[id];

t.test('refs nested in objects, lists and lists of objects are all resolved', async (t) => {
  const desired = {
    vpcId: ref('network/vpc', 'vpcId'),
    subnets: [ref('network/subnet/a', 'subnetId'), 'subnet-static'],
    routes: [{ destination: '0.0.0.0/0', target: { vpc: ref('network/vpc', 'vpcId') } }],
    deep: [[ref('network/vpc', 'cidr')]],
  };
  const { value, unknown } = resolveRefs(desired, lookup);
  t.same(value, { vpcId: 'vpc-1', subnets: ['subnet-a', 'subnet-static'], routes: [{ destination: '0.0.0.0/0', target: { vpc: 'vpc-1' } }], deep: [['10.0.0.0/16']] });
  t.same(unknown, []);
});

t.test('falsy outputs are values, not unknowns', async (t) => {
  const { value, unknown } = resolveRefs({
    port: ref('eks/cluster', 'port'), endpoint: ref('eks/cluster', 'endpoint'), public: ref('eks/cluster', 'public'), issuer: ref('eks/cluster', 'issuer'),
  }, lookup);
  t.same(value, { port: 0, endpoint: '', public: false, issuer: null });
  t.same(unknown, []);
});

t.test('an output the producer lacks, or a producer with no outputs yet, is unknown and the ref stays', async (t) => {
  const desired = { a: ref('network/vpc', 'ipv6Cidr'), b: [ref('edge/alb', 'dnsName')], c: ref('network/vpc', 'vpcId') };
  const { value, unknown } = resolveRefs(desired, lookup);
  t.same(value, { a: ref('network/vpc', 'ipv6Cidr'), b: [ref('edge/alb', 'dnsName')], c: 'vpc-1' });
  t.same(unknown, ['network/vpc.ipv6Cidr', 'edge/alb.dnsName']);
});

t.test('a ref used in several places is named once as unknown', async (t) => {
  const alb = ref('edge/alb', 'dnsName');
  const { unknown } = resolveRefs({ alias: alb, records: [{ value: alb }, { value: alb }] }, lookup);
  t.same(unknown, ['edge/alb.dnsName'], 'one unknown value, one "known after apply" field in the plan');
});

t.test('the input is not modified and the result shares no containers with it', async (t) => {
  const desired = { tags: { Name: 'x' }, list: [ref('network/vpc', 'vpcId')] };
  const before = structuredClone(desired);
  const { value } = resolveRefs(desired, lookup);
  t.same(desired, before);
  value.tags.Name = 'changed';
  (value.list as unknown[]).push('more');
  t.same(desired, before, 'writing to the result leaves the desired properties alone');
});

t.test('objects that merely look like refs are copied as data', async (t) => {
  const notARef = { $ref: 'network/vpc', output: 7 };
  t.same(resolveRefs({ x: notARef, y: { $ref: 'network/vpc' } }, lookup).value, { x: notARef, y: { $ref: 'network/vpc' } });
});

t.test('scalars and empty containers pass through', async (t) => {
  t.same(resolveRefs('plain', lookup), { value: 'plain', unknown: [] });
  t.same(resolveRefs(null, lookup), { value: null, unknown: [] });
  t.same(resolveRefs({ a: [], b: {} }, lookup), { value: { a: [], b: {} }, unknown: [] });
});
