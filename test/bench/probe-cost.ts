// The probe's cost beside Prometheus blackbox_exporter's grpc module: both check the same TLS
// gRPC health endpoint at the same rate in the same run; CPU seconds per 1000 probes (each
// prober in its own process, read from /proc) and p50/p99 latency.
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import YAML from 'yaml';
import { SandboxCa } from '../../src/sandbox/ca.js';
import { cpuSecondsOf, percentile } from './world.js';

async function healthServer(ca: SandboxCa): Promise<{ port: number; stop: () => void }> {
  const cert = await ca.issue(['localhost'], ['127.0.0.1']);
  const def = grpc.loadPackageDefinition(protoLoader.loadSync('grpc/health/v1/health.proto', { includeDirs: ['protos'] })) as any;
  const server = new grpc.Server();
  server.addService(def.grpc.health.v1.Health.service, {
    Check: (_call: unknown, cb: grpc.sendUnaryData<unknown>) => cb(null, { status: 'SERVING' }),
    Watch: (call: grpc.ServerWritableStream<unknown, unknown>) => call.end(),
  });
  const creds = grpc.ServerCredentials.createSsl(null, [{ cert_chain: Buffer.from(cert.certPem), private_key: Buffer.from(cert.keyPem) }]);
  const port = await new Promise<number>((resolve, reject) => server.bindAsync('127.0.0.1:0', creds, (e, p) => (e ? reject(e) : resolve(p))));
  return { port, stop: () => server.forceShutdown() };
}

export async function probeSideBySide(total: number, ratePerSecond: number): Promise<Record<string, unknown>> {
  const ca = await SandboxCa.create();
  const dir = mkdtempSync(join(tmpdir(), 'platformd-bench-probe-'));
  const caFile = join(dir, 'ca.pem');
  writeFileSync(caFile, ca.certPem);
  const server = await healthServer(ca);
  const target = `localhost:${server.port}`;

  // blackbox_exporter, driven at the same rate; its own process's CPU is what is measured.
  writeFileSync(join(dir, 'blackbox.yml'), YAML.stringify({ modules: { grpc_tls: { prober: 'grpc', timeout: '5s', grpc: { tls: true, preferred_ip_protocol: 'ip4', tls_config: { ca_file: caFile } } } } }));
  const bbPort = 20000 + Math.floor(Math.random() * 20000);
  const bb = spawn('prometheus-blackbox-exporter', [`--config.file=${join(dir, 'blackbox.yml')}`, `--web.listen-address=127.0.0.1:${bbPort}`], { stdio: 'ignore' });
  for (let i = 0; i < 100; i++) {
    if (await fetch(`http://127.0.0.1:${bbPort}/-/healthy`).then((r) => r.ok, () => false)) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  const bbLatencies: number[] = [];
  let bbFailures = 0;
  const bbCpu0 = await cpuSecondsOf(bb.pid!);
  const interval = 1000 / ratePerSecond;
  const t0 = Date.now();
  await Promise.all(Array.from({ length: total }, async (_, i) => {
    await new Promise((r) => setTimeout(r, i * interval));
    const text = await (await fetch(`http://127.0.0.1:${bbPort}/probe?module=grpc_tls&target=${target}`)).text();
    if (!/^probe_success 1/m.test(text)) bbFailures++;
    bbLatencies.push(Number(/^probe_duration_seconds (\S+)/m.exec(text)?.[1] ?? NaN) * 1000);
  }));
  const bbWall = (Date.now() - t0) / 1000;
  const bbCpu = (await cpuSecondsOf(bb.pid!)) - bbCpu0;
  bb.kill('SIGTERM');

  // platformd's prober, in its own process, same target, same count and rate.
  const child = spawn(process.execPath, ['--no-warnings', '--import', 'tsx', 'test/bench/prober-child.ts', target, caFile, String(total), String(ratePerSecond)], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout!.on('data', (d) => { out += d; });
  await new Promise((r) => child.once('exit', r));
  const mine = JSON.parse(out.trim().split('\n').pop()!);
  server.stop();

  const result = {
    probes: total, ratePerSecond,
    blackboxExporter: { cpuSecondsPer1000: +((bbCpu / total) * 1000).toFixed(3), p50Ms: +percentile(bbLatencies, 50).toFixed(2), p99Ms: +percentile(bbLatencies, 99).toFixed(2), failures: bbFailures, wallS: +bbWall.toFixed(1) },
    platformd: { cpuSecondsPer1000: +((mine.cpuSeconds / total) * 1000).toFixed(3), p50Ms: +mine.p50Ms.toFixed(2), p99Ms: +mine.p99Ms.toFixed(2), failures: mine.failures, wallS: +mine.wallS.toFixed(1),
      note: 'includes loading the proto and the first TLS handshake; later probes reuse the channel' },
  };
  console.log(`\nProbe cost: ${total} probes of a TLS gRPC health endpoint at ${ratePerSecond}/s, each prober in its own process`);
  console.log('prober               CPU-s/1000  p50-ms  p99-ms  failures');
  for (const [name, r] of [['blackbox_exporter', result.blackboxExporter], ['platformd', result.platformd]] as const) {
    console.log(`${name.padEnd(19)}  ${String(r.cpuSecondsPer1000).padStart(10)}  ${String(r.p50Ms).padStart(6)}  ${String(r.p99Ms).padStart(6)}  ${String(r.failures).padStart(8)}`);
  }
  return result;
}
