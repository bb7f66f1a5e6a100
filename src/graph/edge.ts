// The edge layer: the hosted zone (created or adopted), the certificate with its DNS validation,
// and the alias records of the domain to the ALB. Validation records and alias records are two
// change batches: the ALB needs the issued certificate, which needs the validation records.
import { ref, type Desired } from '../resources/kind.js';
import { hostedZoneKind } from '../resources/edge/hosted-zone.js';
import { certificateKind, certificateValidationKind } from '../resources/edge/certificate.js';
import { recordsKind } from '../resources/edge/records.js';
import { ingressGroups } from '../resources/kube/ingress-groups.js';
import type { ResolvedSpec } from '../platform-spec/resolved.js';
import type { LayerBuilder } from './layers.js';
import { albId, ALIAS_RECORDS, CERTIFICATE, CERTIFICATE_VALIDATION, VALIDATION_RECORDS, ZONE } from './ids.js';

export function buildEdge(spec: ResolvedSpec): Desired[] {
  const d = spec.domain;
  if (!d) return [];
  const zone: Desired = 'id' in d.hostedZone && d.hostedZone.id
    ? hostedZoneKind.node(ZONE, { name: '' }, [], { readOnly: { physicalId: d.hostedZone.id } })
    : d.hostedZone.adopt
      ? hostedZoneKind.node(ZONE, { name: d.hostedZone.name! }, [], { readOnly: { physicalId: `name:${d.hostedZone.name}` } })
      : hostedZoneKind.node(ZONE, { name: d.hostedZone.name! });
  const nodes: Desired[] = [
    zone,
    certificateKind.node(CERTIFICATE, { domain: d.name, alternativeNames: d.certificate.alternativeNames }),
    recordsKind.node(VALIDATION_RECORDS, { zoneId: ref(ZONE, 'zoneId'), records: ref(CERTIFICATE, 'validationRecords') }),
    certificateValidationKind.node(CERTIFICATE_VALIDATION, { arn: ref(CERTIFICATE, 'arn') }, [VALIDATION_RECORDS]),
  ];
  const groups = spec.cluster && spec.services.length > 0 ? ingressGroups(spec) : [];
  if (groups.length > 0) {
    // The domain points at the first group's ALB (further groups, past the rule quota, get their own ALBs).
    const alb = albId(groups[0]!.name);
    const alias = { hostedZoneId: ref(alb, 'canonicalHostedZoneId'), dnsName: ref(alb, 'dnsName') };
    nodes.push(recordsKind.node(ALIAS_RECORDS, { zoneId: ref(ZONE, 'zoneId'), records: [
      { name: d.name, type: 'A', alias }, { name: d.name, type: 'AAAA', alias },
    ] }));
  }
  return nodes;
}

export const edgeLayer: LayerBuilder = { layer: 'edge', build: (spec) => buildEdge(spec) };
