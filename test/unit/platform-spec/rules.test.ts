import t from 'tap';
import { parseDuration } from '../../../src/platform-spec/duration.js';
import { cidrContains, cidrOverlaps, parseCidr, type Cidr } from '../../../src/platform-spec/cidr.js';
import { findProtoService, grpcRoutePath, listProtoServices } from '../../../src/platform-spec/protos.js';
import { withDefaults } from '../../../src/platform-spec/defaults.js';
import { loadSpecFile } from '../../../src/platform-spec/load.js';

t.test('durations', async (t) => {
  const cases: [string, string, number][] = [
    ['milliseconds', '500ms', 500], ['seconds', '30s', 30_000], ['minutes', '1m', 60_000],
    ['hours', '2h', 7_200_000], ['sums of units', '1m30s', 90_000],
  ];
  for (const [reason, text, ms] of cases) t.equal(parseDuration(text), ms, reason);
  for (const bad of ['', '30', '1d', 's', '1m 30s']) t.throws(() => parseDuration(bad), `"${bad}" is refused`);
});

t.test('CIDR arithmetic', async (t) => {
  const c = (s: string) => parseCidr(s) as Cidr;
  t.match(parseCidr('10.0.0.1/16'), /host bits set \(did you mean 10\.0\.0\.0\/16\?\)/, 'host bits are refused with the fix');
  t.match(parseCidr('10.0.300.0/24'), /above 255/);
  t.ok(cidrContains(c('10.0.0.0/16'), c('10.0.64.0/19')), 'a /19 inside its /16');
  t.notOk(cidrContains(c('10.0.0.0/16'), c('10.1.0.0/19')), 'a /19 outside');
  t.ok(cidrOverlaps(c('10.0.0.0/20'), c('10.0.8.0/21')), 'nested blocks overlap');
  t.notOk(cidrOverlaps(c('10.0.0.0/20'), c('10.0.16.0/20')), 'adjacent blocks do not');
});

t.test('proto services and their ALB paths come from the .proto files', async (t) => {
  const services = listProtoServices('protos');
  t.same([...services.keys()].sort(), ['grpc.health.v1.Health', 'helloworld.Greeter', 'keyvaluestore.KeyValueStore', 'routeguide.RouteGuide']);
  const rg = findProtoService('protos', 'routeguide.RouteGuide')!;
  t.equal(grpcRoutePath(rg), '/routeguide.RouteGuide/');
  t.equal(rg.file, 'routeguide/route_guide.proto');
  t.same(rg.methods.map((m) => [m.name, m.requestStream, m.responseStream]), [
    ['GetFeature', false, false], ['ListFeatures', false, true], ['RecordRoute', true, false], ['RouteChat', true, true],
  ]);
  t.equal(grpcRoutePath(findProtoService('protos', 'grpc.health.v1.Health')!), '/grpc.health.v1.Health/');
});

t.test('defaults fill every optional setting and leave the input alone', async (t) => {
  const loaded = await loadSpecFile('specs/platform.yaml');
  t.ok(loaded.ok);
  if (!loaded.ok) return;
  const before = JSON.stringify(loaded.spec);
  const s = withDefaults(loaded.spec);
  t.equal(JSON.stringify(loaded.spec), before, 'input not modified');
  t.equal(s.services![0]!.namespace, 'default');
  t.same(Object.keys(s.cluster!.addons!).sort(), ['coredns', 'eks-pod-identity-agent', 'kube-proxy', 'vpc-cni']);
  t.equal(s.loadBalancerController!.install, true);
  t.equal(s.ingress!.maxRulesPerGroup, 100);
  t.equal(s.services![2]!.probe!.expectedStatus, 'NOT_FOUND', 'a value in the spec wins over the default');
  t.equal(s.services![0]!.probe!.expectedStatus, 'OK');
});
