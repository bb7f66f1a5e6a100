// Issue 15: the ACM certificate and the Route 53 hosted zone record what platformd applied (the
// applied-digest tag, in the tags each create sets: RequestCertificate's, and the
// ChangeTagsForResource that follows CreateHostedZone). Neither has a property that can change in
// place, inside platformd or outside it: a difference is a replacement, and its origin is the spec.
import t from 'tap';
import { ListTagsForCertificateCommand } from '@aws-sdk/client-acm';
import { ListTagsForResourceCommand } from '@aws-sdk/client-route-53';
import { startTestSandbox } from '../helpers/sandbox.js';
import { referenceSpec } from '../helpers/specs.js';
import { applyPlatform, planPlatform } from '../../src/engine.js';
import { clusterAccessFor } from '../../src/cloud/cluster-access.js';
import { TAG_APPLIED_DIGEST } from '../../src/resources/applied-digest.js';

t.test('certificate and hosted zone: the spec\'s new domain reads as spec; the record is never a change', async (t) => {
  const sb = await startTestSandbox();
  t.teardown(sb.close);
  const spec = await referenceSpec();
  const opts = { spec, aws: sb.clients, kube: clusterAccessFor(spec, sb.clients) };
  t.same((await applyPlatform(opts)).failed, [], 'converged');
  const converged = await planPlatform(opts);
  t.same(converged.plan.changes, [], 'the next plan is empty: the applied-digest tag is not a change');

  const certificateTags = (await sb.clients.acm.send(new ListTagsForCertificateCommand({ CertificateArn: converged.observed.get('edge/certificate')!.physicalId }))).Tags ?? [];
  t.match(certificateTags.find((x) => x.Key === TAG_APPLIED_DIGEST)?.Value, /^v1( [0-9a-f]{6})+$/, 'the certificate carries what platformd applied');
  const zoneTags = (await sb.clients.route53.send(new ListTagsForResourceCommand({ ResourceType: 'hostedzone', ResourceId: converged.observed.get('edge/hosted-zone')!.physicalId }))).ResourceTagSet?.Tags ?? [];
  t.match(zoneTags.find((x) => x.Key === TAG_APPLIED_DIGEST)?.Value, /^v1( [0-9a-f]{6})+$/, 'the zone carries what platformd applied');

  const moved = await referenceSpec((s) => { s.domain = { name: 'grpc.example.org', hostedZone: { name: 'example.org' } }; });
  const changes = new Map((await planPlatform({ ...opts, spec: moved })).plan.changes.map((c) => [c.id, c]));
  t.same([changes.get('edge/certificate')?.origin, changes.get('edge/certificate')?.fieldOrigins], ['spec', { domain: 'spec' }], 'a domain the spec changed: spec');
  t.same([changes.get('edge/hosted-zone')?.origin, changes.get('edge/hosted-zone')?.fieldOrigins], ['spec', { name: 'spec' }], 'a zone the spec changed: spec');
});
