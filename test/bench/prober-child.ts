// Runs platformd's prober alone in this process (for the probe cost benchmark): N unary
// grpc.health.v1.Health/Check calls at a fixed rate over one reused channel.
import { Channels } from '../../src/probe/channels.js';
import { probeOnce } from '../../src/probe/grpc-probe.js';
import { percentile } from './world.js';

const [target, caFile, totalText, rateText] = process.argv.slice(2);
const total = Number(totalText);
const interval = 1000 / Number(rateText);
const channels = new Channels({ caFile });
const t = { service: 'bench', address: target!, grpcService: 'grpc.health.v1.Health', method: 'Check', request: { service: '' }, intervalMs: interval, timeoutMs: 5000, expectedCode: 0 };
const cpu0 = process.cpuUsage();
const started = Date.now();
const latencies: number[] = [];
let failures = 0;
await Promise.all(Array.from({ length: total }, async (_, i) => {
  await new Promise((r) => setTimeout(r, i * interval));
  const r = await probeOnce(channels, 'protos', t);
  latencies.push(r.durationMs);
  if (!r.success) failures++;
}));
const cpu = process.cpuUsage(cpu0);
channels.close();
console.log(JSON.stringify({ cpuSeconds: (cpu.user + cpu.system) / 1e6, p50Ms: percentile(latencies, 50), p99Ms: percentile(latencies, 99), failures, wallS: (Date.now() - started) / 1000 }));
process.exit(0);
