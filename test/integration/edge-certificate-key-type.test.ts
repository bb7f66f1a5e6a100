// platformd requests an EC_prime256v1 certificate, and ACM lists only RSA ones unless asked for
// other key types: platformd must ask, or it never sees its own certificate and every plan wants
// a new one. A certificate of another key type is never taken for ours, even tagged like ours.
import t from 'tap';
import { DescribeCertificateCommand, RequestCertificateCommand } from '@aws-sdk/client-acm';
import { DescribeListenersCommand, DescribeLoadBalancersCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import { convergedPlatform } from '../helpers/platform.js';
import { startTestSandbox, type TestSandbox } from '../helpers/sandbox.js';
import { referenceSpec } from '../helpers/specs.js';
import { applyPlatform, planPlatform } from '../../src/engine.js';
import { clusterAccessFor } from '../../src/cloud/cluster-access.js';
import { ownershipTags } from '../../src/resources/ownership.js';

/** An RSA_2048 certificate for the platform's domain carrying platformd's ownership tags for edge/certificate. */
async function rsaCertificateTaggedAsOurs(sb: TestSandbox, platform: string): Promise<string> {
  return (await sb.clients.acm.send(new RequestCertificateCommand({
    DomainName: 'grpc.example.com', ValidationMethod: 'DNS', KeyAlgorithm: 'RSA_2048', Tags: ownershipTags(platform, 'edge/certificate'),
  }))).CertificateArn!;
}

async function listenerCertificate(sb: TestSandbox): Promise<string | undefined> {
  const lb = (await sb.clients.elbv2.send(new DescribeLoadBalancersCommand({}))).LoadBalancers![0]!;
  const listeners = (await sb.clients.elbv2.send(new DescribeListenersCommand({ LoadBalancerArn: lb.LoadBalancerArn }))).Listeners ?? [];
  return listeners[0]?.Certificates?.[0]?.CertificateArn;
}

const summary = (changes: { action: string; id: string }[]) => changes.map((c) => `${c.action} ${c.id}`);

t.test('converged: the next plan is empty, the certificate observed; an RSA one tagged like ours changes nothing', async (t) => {
  const { sb, opts } = await convergedPlatform(t);
  const inUse = await listenerCertificate(sb);
  t.ok(inUse, 'the listener has a certificate');
  const key = (await sb.clients.acm.send(new DescribeCertificateCommand({ CertificateArn: inUse }))).Certificate!.KeyAlgorithm;
  t.equal(key, 'EC_prime256v1', 'platformd requested an EC P-256 certificate');

  const again = await planPlatform(opts);
  t.same(summary(again.plan.changes), [], 'the second plan is empty');
  t.equal(again.observed.get('edge/certificate')?.physicalId, inUse, 'the certificate on the listener is observed as edge/certificate');

  const rsa = await rsaCertificateTaggedAsOurs(sb, opts.spec.metadata.name);
  const withRsa = await planPlatform(opts);
  t.same(summary(withRsa.plan.changes), [], 'an RSA certificate tagged like ours makes no change');
  t.equal(withRsa.observed.get('edge/certificate')?.physicalId, inUse, 'edge/certificate is still the EC one');

  const mark = sb.aws.callLog.mark();
  t.ok((await applyPlatform(opts)).ok, 'a second apply succeeds');
  const writes = sb.aws.callLog.since(mark).filter((c) => c.service === 'acm' && !/^(List|Describe)/.test(c.operation)).map((c) => c.operation);
  t.same(writes, [], 'no certificate requested, deleted or tagged');
  t.equal(await listenerCertificate(sb), inUse, 'the listener keeps its certificate');
  t.ok(sb.acm.certificates.has(rsa), 'the RSA certificate is left alone (neither adopted nor deleted)');
});

t.test('from empty: an RSA certificate tagged like ours is not adopted; the plan creates ours', async (t) => {
  const sb = await startTestSandbox();
  t.teardown(sb.close);
  const spec = await referenceSpec();
  const opts = { spec, aws: sb.clients, kube: clusterAccessFor(spec, sb.clients) };
  await rsaCertificateTaggedAsOurs(sb, spec.metadata.name);
  const { plan, observed } = await planPlatform(opts);
  t.notOk(observed.has('edge/certificate'), 'the RSA certificate is not observed as edge/certificate');
  t.same(plan.changes.filter((c) => c.id === 'edge/certificate').map((c) => c.action), ['+'], 'edge/certificate is to be created');
});
