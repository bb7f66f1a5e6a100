// The sandbox's echo image (what the benchmarks' generated services run): it answers the methods
// its environment lists with the request's bytes, serves grpc.health.v1.Health for '' and its
// service, and answers UNIMPLEMENTED for anything else, as a real gRPC server does.
import t from 'tap';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { grpcRuntime } from '../../../src/sandbox/dataplane/runtime.js';

type Unary = (req: object, cb: (err: grpc.ServiceError | null, reply?: Record<string, unknown>) => void) => void;

t.test('an echo container answers its service\'s methods and the health check', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'platformd-echo-'));
  writeFileSync(join(dir, 'svc.proto'), 'syntax = "proto3";\npackage bench7;\nservice Svc7 {\n  rpc Ping(PingRequest) returns (PingReply) {}\n  rpc Other(PingRequest) returns (PingReply) {}\n}\nmessage PingRequest { string text = 1; }\nmessage PingReply { string text = 1; }\n');
  const container = await grpcRuntime('protos').start({ image: 'public.ecr.aws/platformd/grpc-echo:1.0.0', containerPort: 0, podName: 'svc-7-1-0',
    env: { ECHO_GRPC_SERVICE: 'bench7.Svc7', ECHO_GRPC_METHODS: 'Ping' } });
  t.teardown(() => container.stop());
  const address = `${container.ip}:${container.port}`;

  const bench = grpc.loadPackageDefinition(protoLoader.loadSync(join(dir, 'svc.proto'))) as unknown as { bench7: { Svc7: grpc.ServiceClientConstructor } };
  const client = new bench.bench7.Svc7(address, grpc.credentials.createInsecure());
  t.teardown(() => client.close());
  const call = (method: string, req: object) => new Promise<{ err: grpc.ServiceError | null; reply?: Record<string, unknown> }>((resolve) =>
    (client[method] as Unary).call(client, req, (err, reply) => resolve({ err, reply })));
  t.same(await call('Ping', { text: 'ping' }), { err: null, reply: { text: 'ping' } }, 'Ping answers with the request');
  t.equal((await call('Other', { text: 'x' })).err?.code, grpc.status.UNIMPLEMENTED, 'a method not listed is UNIMPLEMENTED');

  const health = grpc.loadPackageDefinition(protoLoader.loadSync('grpc/health/v1/health.proto', { includeDirs: ['protos'], enums: String })) as unknown as { grpc: { health: { v1: { Health: grpc.ServiceClientConstructor } } } };
  const hc = new health.grpc.health.v1.Health(address, grpc.credentials.createInsecure());
  t.teardown(() => hc.close());
  const check = (service: string) => new Promise<{ err: grpc.ServiceError | null; reply?: Record<string, unknown> }>((resolve) =>
    (hc.Check as Unary).call(hc, { service }, (err, reply) => resolve({ err, reply })));
  t.same((await check('')).reply, { status: 'SERVING' }, 'the server as a whole is SERVING');
  t.same((await check('bench7.Svc7')).reply, { status: 'SERVING' }, 'its service is SERVING');
  t.equal((await check('bench8.Svc8')).err?.code, grpc.status.NOT_FOUND, 'another service is unknown');
});
