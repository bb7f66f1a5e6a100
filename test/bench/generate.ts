// Generated platforms for the benchmarks: the reference platform with N services, each serving
// its own generated proto service (ALB paths must be unique), written to a temp repository layout.
// Each runs the sandbox's echo image configured for its service, so its probe (Ping) and the ALB's
// gRPC health check are answered as a real service would answer them.
import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import YAML from 'yaml';
import { awsClients, resetAwsClients } from '../../src/cloud/aws.js';
import { clusterAccessFor } from '../../src/cloud/cluster-access.js';
import type { EngineOptions } from '../../src/engine.js';
import { loadSpecFile } from '../../src/platform-spec/load.js';
import { withDefaults } from '../../src/platform-spec/defaults.js';

export interface GeneratedPlatform {
  dir: string;
  specPath: string;
  protosDir: string;
}

/** Engine options for a generated platform against the sandbox whose env is in process.env (fresh SDK clients). */
export async function engineOptionsFor(platform: GeneratedPlatform): Promise<EngineOptions> {
  resetAwsClients();
  const loaded = await loadSpecFile(platform.specPath, { protosDir: platform.protosDir });
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.diagnostics));
  const spec = withDefaults(loaded.spec);
  const aws = awsClients({ region: spec.region });
  return { spec, aws, kube: clusterAccessFor(spec, aws), protosDir: platform.protosDir };
}

export function generatePlatform(services: number, probeInterval = '30s'): GeneratedPlatform {
  const dir = mkdtempSync(join(tmpdir(), `platformd-bench-${services}-`));
  cpSync('protos', join(dir, 'protos'), { recursive: true });
  mkdirSync(join(dir, 'protos', 'bench'), { recursive: true });
  mkdirSync(join(dir, 'specs'), { recursive: true });
  const spec = YAML.parse(readFileSync('specs/platform.yaml', 'utf8'));
  spec.services = Array.from({ length: services }, (_, i) => {
    writeFileSync(join(dir, 'protos', 'bench', `svc${i}.proto`), `syntax = "proto3";\npackage bench${i};\nservice Svc${i} {\n  rpc Ping(PingRequest) returns (PingReply) {}\n}\nmessage PingRequest { string text = 1; }\nmessage PingReply { string text = 1; }\n`);
    return { name: `svc-${i}`, image: 'public.ecr.aws/platformd/grpc-echo:1.0.0', port: 50051, replicas: 2, grpcService: `bench${i}.Svc${i}`, healthService: true,
      env: { ECHO_GRPC_SERVICE: `bench${i}.Svc${i}`, ECHO_GRPC_METHODS: 'Ping' },
      probe: { method: 'Ping', request: { text: 'ping' }, interval: probeInterval, timeout: '900ms' } };
  });
  // Nodes for the pods: the VPC CNI gives an m6i.large 3 ENIs × 9 pod addresses (the sandbox
  // emulates that limit), so the reference's 3 nodes hold 81 pods: 2 replicas per service plus ~10
  // system pods. Past that, pods wait for an address forever and an apply never converges.
  const podsPerNode = 3 * 9;
  const nodes = Math.max(3, Math.ceil((2 * services + 10) / podsPerNode));
  for (const group of spec.cluster.nodeGroups) group.scaling = { min: Math.min(group.scaling.min, nodes), desired: nodes, max: Math.max(group.scaling.max, nodes) };
  const specPath = join(dir, 'specs', 'platform.yaml');
  writeFileSync(specPath, YAML.stringify(spec));
  return { dir, specPath, protosDir: join(dir, 'protos') };
}
