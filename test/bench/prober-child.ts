// Runs platformd's prober alone in this process (for the probe cost benchmark): N unary
// grpc.health.v1.Health/Check calls at a fixed rate, a new connection every `redialEvery` probes
// (1: cold, a DNS lookup + TCP + TLS handshake per probe; a large number: warm, one channel).
// CPU is counted from the first probe: loading tsx and the modules is not the prober's cost.
import { Channels } from '../../src/probe/channels.js';
import { probeOnce } from '../../src/probe/grpc-probe.js';
import type { ProbeTarget } from '../../src/probe/targets.js';
import { percentile } from './world.js';

const [address, caFile, totalText, rateText, redialText] = process.argv.slice(2);
const total = Number(totalText);
const interval = 1000 / Number(rateText);
const channels = new Channels({ caFile });
const target: ProbeTarget = { service: 'bench', address: address!, grpcService: 'grpc.health.v1.Health', method: 'Check', request: { service: '' },
  intervalMs: interval, timeoutMs: 5000, expectedCode: 0, redialEvery: Number(redialText) };
const cpu0 = process.cpuUsage();
const started = Date.now();
const latencies: number[] = [];
const failures: string[] = [];
await Promise.all(Array.from({ length: total }, async (_, i) => {
  await new Promise((r) => setTimeout(r, i * interval));
  const r = await probeOnce(channels, 'protos', target);
  latencies.push(r.durationMs);
  if (!r.success) failures.push(`${r.code} ${r.message}`);
}));
const cpu = process.cpuUsage(cpu0);
channels.close();
console.log(JSON.stringify({ cpuSeconds: (cpu.user + cpu.system) / 1e6, p50Ms: percentile(latencies, 50), p99Ms: percentile(latencies, 99), successes: total - failures.length,
  firstFailure: failures[0], dials: channels.dialCount, wallS: (Date.now() - started) / 1000 }));
process.exit(0);
