// A ChangeResourceRecordSets batch validated as Route 53 validates it, against a working copy of
// the zone: every error of the batch is collected, and nothing is applied unless all changes pass
// ("Route 53 validates the changes in the request and then either makes all or none of the
// changes", https://docs.aws.amazon.com/Route53/latest/APIReference/API_ChangeResourceRecordSets.html).
// Messages are the InvalidChangeBatch texts Route 53 returns (cited per rule below).
import { ServiceError } from '../../service.js';
import { albCanonicalZoneId } from '../elbv2/zones.js';
import { canonicalName, type HostedZone, type RecordSet } from './state.js';

/** What an alias target is checked against outside the zone being changed. */
export interface AliasTargets {
  /** A Route 53 hosted zone of the account by id (an alias to another record). */
  zone(id: string): HostedZone | undefined;
  /** Whether an emulated load balancer has this DNS name in the region; unset: no ELBv2 here, none exists. */
  loadBalancerExists?: (region: string, dnsName: string) => boolean;
}

/** The decoded XML of one Change (members as the rest-xml codec hands them over). */
export interface ChangeXml { Action?: unknown; ResourceRecordSet?: RecordSetXml }
interface RecordSetXml {
  Name?: unknown; Type?: unknown; TTL?: unknown;
  ResourceRecords?: { ResourceRecord?: { Value?: unknown } | { Value?: unknown }[] };
  AliasTarget?: { HostedZoneId?: unknown; DNSName?: unknown; EvaluateTargetHealth?: unknown };
}
const arr = <T>(v: T | T[] | undefined): T[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

/** A ResourceRecordSet element of the request → the stored shape. */
function parseRecord(x: RecordSetXml = {}): RecordSet {
  const alias = x.AliasTarget;
  return {
    name: canonicalName(String(x.Name)), type: String(x.Type),
    ...(alias ? { alias: { hostedZoneId: String(alias.HostedZoneId).replace('/hostedzone/', ''), dnsName: canonicalName(String(alias.DNSName)), evaluateTargetHealth: String(alias.EvaluateTargetHealth) === 'true' } }
      : { ttl: Number(x.TTL), values: arr(x.ResourceRecords?.ResourceRecord).map((r) => String(r.Value)) }),
  };
}

/** "To delete a resource record set, you must specify all the same values that you specified when you created it" (values in any order). */
const sameRecordSet = (a: RecordSet, b: RecordSet) =>
  JSON.stringify({ ...a, values: [...(a.values ?? [])].sort() }) === JSON.stringify({ ...b, values: [...(b.values ?? [])].sort() });

const ELB_NAME = /^(?:dualstack\.)?[^.]+\.([a-z0-9-]+)\.elb\.amazonaws\.com\.$/;

/**
 * Alias target errors, both of Route 53's texts when they apply ("…but the alias target name does
 * not lie within the target zone", "…but that target was not found": seen together in
 * aws/aws-cli#4687 and harmony-one/harmony-ops#491). An ELB target must be a load balancer that
 * exists, named with the canonical hosted zone id of its region; a Route 53 target must be a record
 * set of the same type inside the named zone. Nothing else is emulated, so nothing else is found.
 */
function aliasErrors(r: RecordSet, zone: HostedZone, working: RecordSet[], targets: AliasTargets): string[] {
  const a = r.alias!;
  const zoneId = zone.id;
  let within = false;
  let found = false;
  const elb = ELB_NAME.exec(a.dnsName);
  const targetZone = a.hostedZoneId === zoneId ? undefined : targets.zone(a.hostedZoneId);
  if (elb) {
    within = albCanonicalZoneId(elb[1]!) === a.hostedZoneId;
    found = within && (targets.loadBalancerExists?.(elb[1]!, a.dnsName.replace(/^dualstack\./, '').replace(/\.$/, '')) ?? false);
  } else if (a.hostedZoneId === zoneId || targetZone) {
    const zoneName = targetZone?.name ?? zone.name;
    const records = targetZone?.records ?? working;
    within = a.dnsName === zoneName || a.dnsName.endsWith(`.${zoneName}`);
    found = within && records.some((x) => x.name === a.dnsName && x.type === r.type);
  }
  const head = `Tried to create an alias that targets ${a.dnsName}, type ${r.type} in zone ${a.hostedZoneId}`;
  return [...(within ? [] : [`${head}, but the alias target name does not lie within the target zone`]), ...(found ? [] : [`${head}, but that target was not found`])];
}

/**
 * RFC 1034 §3.6.2: "If a CNAME RR is present at a node, no other data should be present". Route 53's
 * texts: at the apex (stackoverflow 20215729, cited in GSA-TTS/dns#30), a CNAME beside other types
 * (aws/aws-sdk-java#1996), another type beside a CNAME (boto/boto3#1475, with Route 53's double
 * space before CNAME).
 */
function cnameErrors(r: RecordSet, zone: HostedZone, working: RecordSet[]): string[] {
  const others = working.filter((x) => x.name === r.name && x.type !== r.type);
  if (r.type === 'CNAME' && r.name === zone.name) return [`RRSet of type CNAME with DNS name ${r.name} is not permitted at apex in zone ${zone.name}`];
  if (r.type === 'CNAME' && others.length > 0) return [`RRSet of type CNAME with DNS name ${r.name} is not permitted as it conflicts with other records with the same DNS name in zone ${zone.name}`];
  if (r.type !== 'CNAME' && others.some((x) => x.type === 'CNAME')) {
    return [`RRSet of type ${r.type} with DNS name ${r.name} is not permitted because a conflicting RRSet of type  CNAME with the same DNS name already exists in zone ${zone.name}`];
  }
  return [];
}

/**
 * The zone's record sets after the batch, or InvalidChangeBatch with every error of the batch
 * (the zone is left as it was). Changes apply in order to a working copy, so a DELETE followed by
 * a CREATE of the same record set replaces it; any other repetition of one record set in a batch
 * is refused ("The request contains an invalid set of changes for a resource record set 'TXT x.'",
 * kubernetes-sigs/external-dns#4241, a batch deleting the same record set twice).
 */
export function applyChangeBatch(zone: HostedZone, changes: ChangeXml[], targets: AliasTargets): RecordSet[] {
  const working = structuredClone(zone.records);
  const errors: string[] = [];
  const actionsOf = new Map<string, string[]>();
  for (const ch of changes) {
    const r = parseRecord(ch.ResourceRecordSet);
    const key = `${r.type} ${r.name}`;
    actionsOf.set(key, [...(actionsOf.get(key) ?? []), String(ch.Action)]);
  }
  for (const [key, actions] of actionsOf) {
    if (actions.length > 1 && !(actions.length === 2 && actions[0] === 'DELETE' && actions[1] === 'CREATE')) {
      errors.push(`The request contains an invalid set of changes for a resource record set '${key}'`);
    }
  }
  for (const ch of changes) {
    const r = parseRecord(ch.ResourceRecordSet);
    if (!(r.name === zone.name || r.name.endsWith(`.${zone.name}`))) {
      errors.push(`RRSet with DNS name ${r.name} is not permitted in zone ${zone.name}`);
      continue;
    }
    const i = working.findIndex((x) => x.name === r.name && x.type === r.type);
    const described = `resource record set [name='${r.name}', type='${r.type}']`;
    if (ch.Action === 'DELETE') {
      if (i < 0) errors.push(`Tried to delete ${described} but it was not found`);
      else if (!sameRecordSet(working[i]!, r)) errors.push(`Tried to delete ${described} but the values provided do not match the current values`);
      else working.splice(i, 1);
      continue;
    }
    if (ch.Action !== 'CREATE' && ch.Action !== 'UPSERT') {
      errors.push(`Invalid action ${ch.Action}`);
      continue;
    }
    if (ch.Action === 'CREATE' && i >= 0) {
      errors.push(`Tried to create ${described} but it already exists`);
      continue;
    }
    const refused = [...cnameErrors(r, zone, working), ...(r.alias ? aliasErrors(r, zone, working, targets) : [])];
    errors.push(...refused);
    if (refused.length > 0) continue;
    if (i >= 0) working[i] = r;
    else working.push(r);
  }
  if (errors.length > 0) throw new ServiceError('InvalidChangeBatch', `[${errors.join(', ')}]`, 400);
  return working;
}
