// probeTargets: one target per service with a probe, dialled through the public domain, with the
// spec's durations and expected status as numbers; nothing to probe before there is a domain.
import t from 'tap';
import { readFileSync } from 'node:fs';
import { status as GrpcStatus } from '@grpc/grpc-js';
import { probeTargets, statusCode } from '../../../src/probe/targets.js';
import { withDefaults } from '../../../src/platform-spec/defaults.js';
import type { GrpcStatusName, PlatformSpec, ServiceSpec } from '../../../src/platform-spec/types.js';

const service = (name: string, probe?: ServiceSpec['probe']): ServiceSpec =>
  ({ name, image: `registry.example.com/${name}:1`, port: 50051, grpcService: `${name}.v1.Service`, ...(probe ? { probe } : {}) });
const spec = (services: ServiceSpec[] | undefined, domain = true) => withDefaults({
  apiVersion: 'platformd.dev/v1alpha1', kind: 'Platform', metadata: { name: 'demo' }, region: 'eu-west-1',
  ...(services ? { services } : {}),
  ...(domain ? { domain: { name: 'grpc.example.com', hostedZone: { name: 'example.com' } } } : {}),
} satisfies PlatformSpec);
const full = { method: 'GetFeature', request: { latitude: 1 }, interval: '1m30s', timeout: '500ms', expectedStatus: 'NOT_FOUND' as const };

t.test('one target per service with a probe, in spec order, through the domain on 443', async (t) => {
  const targets = probeTargets(spec([service('route-guide', full), service('no-probe'), service('greeter', { ...full, method: 'SayHello', request: {} })]));
  t.same(targets, [
    { service: 'route-guide', address: 'grpc.example.com:443', grpcService: 'route-guide.v1.Service', method: 'GetFeature', request: { latitude: 1 }, intervalMs: 90_000, timeoutMs: 500, expectedCode: GrpcStatus.NOT_FOUND, redialEvery: 10 },
    { service: 'greeter', address: 'grpc.example.com:443', grpcService: 'greeter.v1.Service', method: 'SayHello', request: {}, intervalMs: 90_000, timeoutMs: 500, expectedCode: GrpcStatus.NOT_FOUND, redialEvery: 10 },
  ]);
});

t.test('another port for the data path (the sandbox listens on an ephemeral one)', async (t) => {
  t.same(probeTargets(spec([service('route-guide', full)]), 8443).map((p) => p.address), ['grpc.example.com:8443']);
});

t.test('nothing to probe: no domain yet, no services, or no service with a probe', async (t) => {
  t.same(probeTargets(spec([service('route-guide', full)], false)), [], 'without a domain there is no public endpoint');
  t.same(probeTargets(spec(undefined)), []);
  t.same(probeTargets(spec([])), []);
  t.same(probeTargets(spec([service('a'), service('b')])), []);
});

t.test('defaults, as the daemon applies them, are the schema\'s', async (t) => {
  const schema = JSON.parse(readFileSync('schema/platform.schema.json', 'utf8')) as { $defs: { probe: { properties: Record<string, { default?: string }> } } };
  const defaults = schema.$defs.probe.properties;
  const [target] = probeTargets(spec([service('route-guide', { method: 'GetFeature' })]));
  t.equal(target!.intervalMs, 30_000);
  t.equal(target!.timeoutMs, 5_000);
  t.same([defaults.interval!.default, defaults.timeout!.default, defaults.expectedStatus!.default], ['30s', '5s', 'OK'], 'the schema documents the same');
  t.equal(target!.redialEvery, 10, 'a new connection every 10 probes');
  t.equal((defaults.redialEvery as { default?: unknown } | undefined)?.default, 10, 'the schema documents the same');
  t.equal(target!.expectedCode, GrpcStatus.OK);
  t.same(target!.request, {});
});

t.test('every status name the schema allows maps to grpc-js\'s code', async (t) => {
  const schema = JSON.parse(readFileSync('schema/platform.schema.json', 'utf8')) as { $defs: { probe: { properties: { expectedStatus: { enum: GrpcStatusName[] } } } } };
  const names = schema.$defs.probe.properties.expectedStatus.enum;
  t.equal(names.length, 17, 'all seventeen gRPC status codes');
  t.same(names.map(statusCode), names.map((n) => GrpcStatus[n]));
  t.same(names.map(statusCode), [...Array(17).keys()], 'codes 0 to 16, each once');
});
