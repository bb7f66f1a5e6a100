// The endpoint the probe cost benchmark probes, in a process of its own so that neither prober's
// figures include the server's work: a grpc-js server over TLS (certificate from the CA file's
// key pair passed in) serving grpc.health.v1.Health, as the reference services do. Prints its
// port, then serves until killed.
import { readFileSync } from 'node:fs';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';

const [certFile, keyFile] = process.argv.slice(2);
const health = protoLoader.loadSync('grpc/health/v1/health.proto', { includeDirs: ['protos'], enums: String, defaults: true })['grpc.health.v1.Health'] as grpc.ServiceDefinition;
const server = new grpc.Server();
server.addService(health, {
  Check: (_call: grpc.ServerUnaryCall<unknown, unknown>, cb: grpc.sendUnaryData<unknown>) => cb(null, { status: 'SERVING' }),
  Watch: (call: grpc.ServerWritableStream<unknown, unknown>) => call.end(),
});
const creds = grpc.ServerCredentials.createSsl(null, [{ cert_chain: readFileSync(certFile!), private_key: readFileSync(keyFile!) }]);
server.bindAsync('127.0.0.1:0', creds, (err, port) => {
  if (err) throw err;
  console.log(JSON.stringify({ port }));
});
