// probe.redialEvery: a probe connection serves at most N probes, then a new one is dialled (DNS,
// TCP, TLS). Counted as TLS handshakes on the endpoint; and a certificate the endpoint swaps to is
// seen (here: refused, its CA is not trusted) within N probes, while the old connection alone
// would have kept the old certificate indefinitely.
import t from 'tap';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { status } from '@grpc/grpc-js';
import { SandboxCa } from '../../src/sandbox/ca.js';
import { Channels } from '../../src/probe/channels.js';
import { probeOnce, type ProbeResult } from '../../src/probe/grpc-probe.js';
import type { ProbeTarget } from '../../src/probe/targets.js';
import { countingGrpcServer } from '../helpers/counting-grpc-server.js';

async function world(t: { teardown(fn: () => unknown): void }) {
  const ca = await SandboxCa.create();
  const caFile = join(mkdtempSync(join(tmpdir(), 'platformd-redial-')), 'ca.pem');
  writeFileSync(caFile, ca.certPem);
  const server = await countingGrpcServer(await ca.issue(['localhost']));
  const channels = new Channels({ caFile });
  t.teardown(async () => { channels.close(); await server.close(); });
  const target = (redialEvery: number): ProbeTarget => ({ service: 'health', address: server.address, grpcService: 'grpc.health.v1.Health', method: 'Check',
    request: {}, intervalMs: 1_000, timeoutMs: 10_000, expectedCode: status.OK, redialEvery });
  const probes = async (n: number, redialEvery: number): Promise<ProbeResult[]> => {
    const results: ProbeResult[] = [];
    for (let i = 0; i < n; i++) results.push(await probeOnce(channels, 'protos', target(redialEvery)));
    return results;
  };
  return { server, channels, probes };
}

t.test('a new connection after every N probes', async (t) => {
  const { server, channels, probes } = await world(t);
  const results = await probes(10, 3);
  t.same(results.map((r) => r.success), Array(10).fill(true), `every probe passed: ${results.map((r) => r.message).join(', ')}`);
  t.equal(server.handshakes(), 4, 'probes 1-3, 4-6, 7-9 and 10 each on their own connection');
  t.equal(channels.dialCount, 4);
});

t.test('redialEvery 1: a handshake per probe, as blackbox_exporter does', async (t) => {
  const { server, probes } = await world(t);
  await probes(5, 1);
  t.equal(server.handshakes(), 5);
});

t.test('a swapped certificate is seen within N probes', async (t) => {
  const { server, probes } = await world(t);
  t.same((await probes(2, 3)).map((r) => r.success), [true, true], 'the first connection is up');
  const untrusted = await SandboxCa.create('another CA');
  server.useCertificate(await untrusted.issue(['localhost']));
  const after = await probes(3, 3);
  t.same(after.map((r) => r.success), [true, false, false], 'probe 3 still rides the old connection; probe 4 dials and meets the new certificate');
  t.equal(after[1]!.code, status.UNAVAILABLE);
});

t.test('a call the endpoint never answers ends at the probe timeout as DEADLINE_EXCEEDED', async (t) => {
  const ca = await SandboxCa.create();
  const caFile = join(mkdtempSync(join(tmpdir(), 'platformd-redial-')), 'ca.pem');
  writeFileSync(caFile, ca.certPem);
  const server = await countingGrpcServer(await ca.issue(['localhost']), 'hang');
  const channels = new Channels({ caFile });
  t.teardown(async () => { channels.close(); await server.close(); });
  const r = await probeOnce(channels, 'protos', { service: 'health', address: server.address, grpcService: 'grpc.health.v1.Health', method: 'Check',
    request: {}, intervalMs: 1_000, timeoutMs: 300, expectedCode: status.OK, redialEvery: 10 });
  t.equal(r.code, status.DEADLINE_EXCEEDED, r.message);
  t.equal(server.calls(), 1, 'the call reached the endpoint');
});
