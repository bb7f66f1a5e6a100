// The container runtime of the emulated clusters: images are mapped to the sandbox's real gRPC
// servers by repository name (…/route-guide or …/routeguide → RouteGuide, …/greeter or
// …/helloworld → Greeter, …/kv-store or …/keyvaluestore → KeyValueStore). Other images (the load
// balancer controller itself) run as nothing with no address.
import type { ContainerRuntime } from '../container-runtime.js';
import { startGrpcServer, type ServiceName } from './grpc-services.js';

export function serviceForImage(image: string): ServiceName | undefined {
  const repo = image.split('@')[0]!.split(':')[0]!.split('/').pop() ?? '';
  if (/route-?guide/.test(repo)) return 'routeguide';
  if (/greeter|helloworld/.test(repo)) return 'greeter';
  if (/kv-?store|keyvalue/.test(repo)) return 'keyvaluestore';
  return undefined;
}

/** Each pod gets its own loopback address (127.20.x.y), so every pod listens on its container port as in a cluster. */
export function grpcRuntime(protosDir: string): ContainerRuntime {
  let next = 1;
  return {
    async start({ image, containerPort }) {
      const which = serviceForImage(image);
      const n = next++;
      const ip = `127.20.${Math.floor(n / 250) % 250}.${(n % 250) + 1}`;
      if (!which) return { ip, port: containerPort, stop: async () => {} };
      const s = await startGrpcServer(protosDir, which, `${ip}:${containerPort}`);
      return { ip, port: s.port, stop: s.stop };
    },
  };
}
