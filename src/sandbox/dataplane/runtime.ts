// The container runtime of the emulated clusters: images are mapped to the sandbox's real gRPC
// servers by repository name (…/route-guide or …/routeguide → RouteGuide, …/greeter or
// …/helloworld → Greeter, …/kv-store or …/keyvaluestore → KeyValueStore), …/grpc-echo to the echo
// server its environment configures (echo-server.ts). Other images (the load balancer controller
// itself) run as nothing with no address.
import type { ContainerRuntime } from '../container-runtime.js';
import { startEchoServer } from './echo-server.js';
import { startGrpcServer, type ServiceName } from './grpc-services.js';
import { LoopbackAddresses } from './loopback.js';

function repositoryOf(image: string): string {
  return image.split('@')[0]!.split(':')[0]!.split('/').pop() ?? '';
}

function serviceForImage(image: string): ServiceName | undefined {
  const repo = repositoryOf(image);
  if (/route-?guide/.test(repo)) return 'routeguide';
  if (/greeter|helloworld/.test(repo)) return 'greeter';
  if (/kv-?store|keyvalue/.test(repo)) return 'keyvaluestore';
  return undefined;
}

/**
 * Each pod gets a loopback address of its own, claimed by binding (loopback.ts), so every pod
 * listens on its container port as in a cluster, and no other sandbox process can hold it.
 */
export function grpcRuntime(protosDir: string, loopback = new LoopbackAddresses()): ContainerRuntime {
  return {
    async start({ image, containerPort, env }) {
      if (repositoryOf(image) === 'grpc-echo') {
        const { ip, bound } = await loopback.claim((address) => startEchoServer(protosDir, env, `${address}:${containerPort}`));
        return { ip, port: bound.port, stop: async () => { await bound.stop(); loopback.release(ip); } };
      }
      const which = serviceForImage(image);
      if (!which) {
        const { ip } = await loopback.claim(async () => undefined);
        return { ip, port: containerPort, stop: async () => loopback.release(ip) };
      }
      const { ip, bound } = await loopback.claim((address) => startGrpcServer(protosDir, which, `${address}:${containerPort}`));
      return { ip, port: bound.port, stop: async () => { await bound.stop(); loopback.release(ip); } };
    },
  };
}
