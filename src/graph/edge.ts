// The edge layer: the hosted zone (created or adopted), the certificate with its DNS validation,
// and the alias records of the domain to the ALB. Validation records and alias records are two
// change batches: the ALB needs the issued certificate, which needs the validation records.
import { ref, type Desired } from '../resources/kind.js';
import { albId } from '../resources/kube/ingress.js';
import { ingressGroups } from '../resources/kube/ingress-groups.js';
import type { ResolvedSpec } from '../spec/resolved.js';
import type { LayerBuilder } from './layers.js';

export const ZONE = 'edge/hosted-zone';
export const CERTIFICATE = 'edge/certificate';
export const CERTIFICATE_VALIDATION = 'edge/certificate-validation';
export const VALIDATION_RECORDS = 'edge/records/validation';
export const ALIAS_RECORDS = 'edge/records/alias';

export function buildEdge(spec: ResolvedSpec): Desired[] {
  const d = spec.domain;
  if (!d) return [];
  const zone: Desired = 'id' in d.hostedZone && d.hostedZone.id
    ? { id: ZONE, kind: 'route53/hosted-zone', dependsOn: [], properties: { name: '' }, readOnly: { physicalId: d.hostedZone.id } }
    : d.hostedZone.adopt
      ? { id: ZONE, kind: 'route53/hosted-zone', dependsOn: [], properties: { name: d.hostedZone.name! }, readOnly: { physicalId: `name:${d.hostedZone.name}` } }
      : { id: ZONE, kind: 'route53/hosted-zone', dependsOn: [], properties: { name: d.hostedZone.name! } };
  const nodes: Desired[] = [
    zone,
    { id: CERTIFICATE, kind: 'acm/certificate', dependsOn: [], properties: { domain: d.name, alternativeNames: d.certificate.alternativeNames } },
    { id: VALIDATION_RECORDS, kind: 'route53/records', dependsOn: [], properties: { zoneId: ref(ZONE, 'zoneId'), records: ref(CERTIFICATE, 'validationRecords') } },
    { id: CERTIFICATE_VALIDATION, kind: 'acm/certificate-validation', dependsOn: [VALIDATION_RECORDS], properties: { arn: ref(CERTIFICATE, 'arn') } },
  ];
  const groups = spec.cluster && spec.services.length > 0 ? ingressGroups(spec) : [];
  if (groups.length > 0) {
    // The domain points at the first group's ALB (further groups, past the rule quota, get their own ALBs).
    const alb = albId(groups[0]!.name);
    const alias = { hostedZoneId: ref(alb, 'canonicalHostedZoneId'), dnsName: ref(alb, 'dnsName') };
    nodes.push({ id: ALIAS_RECORDS, kind: 'route53/records', dependsOn: [], properties: { zoneId: ref(ZONE, 'zoneId'), records: [
      { name: d.name, type: 'A', alias }, { name: d.name, type: 'AAAA', alias },
    ] } });
  }
  return nodes;
}

export const edgeLayer: LayerBuilder = { layer: 'edge', build: (spec) => buildEdge(spec) };
