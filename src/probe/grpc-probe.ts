// One synthetic call: a unary request through the public endpoint with a deadline; success when
// the gRPC status is the expected one.
import * as grpc from '@grpc/grpc-js';
import type { Channels } from './channels.js';
import type { ProbeTarget } from './targets.js';

export interface ProbeResult {
  service: string;
  success: boolean;
  code: number;
  message: string;
  durationMs: number;
  at: Date;
}

export function probeOnce(channels: Channels, protosDir: string, target: ProbeTarget): Promise<ProbeResult> {
  const started = performance.now();
  const at = new Date();
  return new Promise((resolve) => {
    const finish = (code: number, message: string) => resolve({ service: target.service, success: code === target.expectedCode, code, message,
      durationMs: performance.now() - started, at });
    let handle;
    try {
      handle = channels.method(protosDir, target.grpcService, target.method);
    } catch (err) {
      return finish(grpc.status.INTERNAL, (err as Error).message);
    }
    const lease = channels.lease(target, target.redialEvery);
    lease.client.makeUnaryRequest(handle.path, handle.serialize, handle.deserialize, target.request, new grpc.Metadata(),
      { deadline: Date.now() + target.timeoutMs },
      (err) => {
        lease.release();
        finish(err ? (err as grpc.ServiceError).code ?? grpc.status.UNKNOWN : grpc.status.OK, err ? (err as grpc.ServiceError).details ?? err.message : 'OK');
      });
  });
}
