// An echo image for generated platforms (the benchmarks): like the grpc-echo test servers people
// deploy to check a route, it serves the one gRPC service its environment names and answers each
// of the listed unary methods with the request's own bytes (a valid reply whenever the reply
// message has the request's fields, as in `rpc Ping(PingRequest) returns (PingReply)`), and
// grpc.health.v1.Health for '' and that service. Unlisted methods answer UNIMPLEMENTED, as any
// gRPC server does.
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';

/** Environment of an echo container: the fully qualified service and its comma-separated methods. */
export const ECHO_SERVICE_ENV = 'ECHO_GRPC_SERVICE';
export const ECHO_METHODS_ENV = 'ECHO_GRPC_METHODS';

const bytes = (b: Buffer) => b;

/** Parsed once per protos directory: a platform of hundreds of echo pods starts hundreds of servers. */
const healthDefinitions = new Map<string, grpc.ServiceDefinition>();

function healthDefinition(protosDir: string): grpc.ServiceDefinition {
  let def = healthDefinitions.get(protosDir);
  if (!def) {
    const loaded = protoLoader.loadSync('grpc/health/v1/health.proto', { includeDirs: [protosDir], enums: String, defaults: true });
    healthDefinitions.set(protosDir, (def = loaded['grpc.health.v1.Health'] as grpc.ServiceDefinition));
  }
  return def;
}

export async function startEchoServer(protosDir: string, env: Record<string, string>, address: string): Promise<{ port: number; stop: () => Promise<void> }> {
  const service = env[ECHO_SERVICE_ENV] ?? '';
  const methods = (env[ECHO_METHODS_ENV] ?? '').split(',').map((m) => m.trim()).filter(Boolean);
  const server = new grpc.Server();
  for (const method of methods) {
    server.register<Buffer, Buffer>(`/${service}/${method}`, (call: grpc.ServerUnaryCall<Buffer, Buffer>, cb: grpc.sendUnaryData<Buffer>) => cb(null, call.request),
      bytes, bytes, 'unary');
  }
  const known = new Set(['', service]);
  server.addService(healthDefinition(protosDir), {
    Check(call: grpc.ServerUnaryCall<{ service: string }, unknown>, cb: grpc.sendUnaryData<unknown>) {
      if (!known.has(call.request.service)) return cb({ code: grpc.status.NOT_FOUND, details: `unknown service ${call.request.service}` });
      cb(null, { status: 'SERVING' });
    },
    Watch(call: grpc.ServerWritableStream<{ service: string }, unknown>) {
      call.write({ status: known.has(call.request.service) ? 'SERVING' : 'SERVICE_UNKNOWN' });
    },
  });
  const port = await new Promise<number>((resolve, reject) => server.bindAsync(address, grpc.ServerCredentials.createInsecure(), (err, p) => (err ? reject(err) : resolve(p))));
  return { port, stop: () => new Promise((resolve) => server.tryShutdown(() => resolve())) };
}
