// Services split over two ingress groups (past the ALB rule quota) get two ALBs, and the domain
// can alias only the first. Each probe goes through the ALB that serves its service: the first
// group's through the domain, the second group's through its own ALB's DNS name, still checking
// the certificate for the domain. Through the domain, the second group's probe would reach an ALB
// with no rule for it (404 → UNIMPLEMENTED) — what the 300-service benchmark measured for two
// thirds of its probes.
import '../helpers/grpc-env.js';
import t from 'tap';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { status } from '@grpc/grpc-js';
import { startTestSandbox } from '../helpers/sandbox.js';
import { referenceSpec } from '../helpers/specs.js';
import { applyPlatform, planPlatform } from '../../src/engine.js';
import { clusterAccessFor } from '../../src/cloud/cluster-access.js';
import { Channels } from '../../src/probe/channels.js';
import { probeOnce } from '../../src/probe/grpc-probe.js';
import { albDnsNamesOf, probeTargets } from '../../src/probe/targets.js';

t.test('each probe through the ALB of its ingress group', async (t) => {
  const sb = await startTestSandbox();
  t.teardown(sb.close);
  const spec = await referenceSpec((s) => { s.ingress = { ...s.ingress, maxRulesPerGroup: 2 }; });
  const opts = { spec, aws: sb.clients, kube: clusterAccessFor(spec, sb.clients) };
  t.same((await applyPlatform(opts)).failed, [], 'converged on two ALBs');
  await sb.dataplane.idle();
  const { observed } = await planPlatform(opts);
  const albs = albDnsNamesOf(observed.values());
  t.same([...albs.keys()].sort(), ['grpc-demo-1', 'grpc-demo-2'], 'both ALBs read back');

  const port = sb.dataplane.addresses()[0]!.port;
  const targets = probeTargets(spec, port, albs);
  t.same(targets.map((x) => [x.service, x.address, x.serverName]), [
    ['route-guide', `${albs.get('grpc-demo-2')}:${port}`, 'grpc.example.com'],
    ['greeter', `grpc.example.com:${port}`, undefined],
    ['kv-store', `grpc.example.com:${port}`, undefined],
  ], 'greeter and kv-store (group 1) through the domain; route-guide (group 2) through its own ALB');
  t.same(probeTargets(spec, port).map((x) => x.service), ['greeter', 'kv-store'], 'until its ALB is read back, route-guide is not probed at all');

  const caFile = join(mkdtempSync(join(tmpdir(), 'platformd-probe-groups-')), 'ca.pem');
  writeFileSync(caFile, sb.caPem);
  const channels = new Channels({ caFile, dnsServer: sb.dns });
  t.teardown(() => channels.close());
  for (const target of targets) {
    const r = await probeOnce(channels, 'protos', target);
    t.ok(r.success, `${target.service} passes through ${target.address}: ${r.code} ${r.message}`);
  }

  const throughDomain = await probeOnce(channels, 'protos', { ...targets[0]!, address: `grpc.example.com:${port}`, serverName: undefined });
  t.equal(throughDomain.code, status.UNIMPLEMENTED, `through the domain route-guide meets the first ALB's default 404: ${throughDomain.message}`);
});
