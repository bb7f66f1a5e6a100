// The reference platform applied from empty on a test sandbox, with what a gRPC client needs to
// reach it through the sandbox's DNS and CA.
import type { Test } from 'tap';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { startTestSandbox, type TestSandbox } from './sandbox.js';
import { referenceSpec } from './specs.js';
import { applyPlatform, type EngineOptions } from '../../src/engine.js';
import { clusterAccessFor } from '../../src/cloud/cluster-access.js';

export interface ConvergedPlatform {
  sb: TestSandbox;
  opts: EngineOptions;
  /** dns://<sandbox dns>/grpc.example.com:<ALB port> */
  target: string;
  creds: grpc.ChannelCredentials;
  /** A loaded proto package (grpc-js service constructors). */
  load(file: string): any;
}

export async function convergedPlatform(t: Test): Promise<ConvergedPlatform> {
  const sb = await startTestSandbox();
  t.teardown(sb.close);
  const spec = await referenceSpec();
  const opts = { spec, aws: sb.clients, kube: clusterAccessFor(spec, sb.clients) };
  t.ok((await applyPlatform(opts)).ok, 'the reference platform converges');
  await sb.dataplane.idle();
  const front = sb.dataplane.addresses()[0]!;
  return {
    sb, opts,
    target: `dns://${sb.dns}/grpc.example.com:${front.port}`,
    creds: grpc.credentials.createSsl(Buffer.from(sb.caPem)),
    load: (file) => grpc.loadPackageDefinition(protoLoader.loadSync(file, { includeDirs: ['protos'], keepCase: false, longs: Number, enums: String, defaults: true })),
  };
}
