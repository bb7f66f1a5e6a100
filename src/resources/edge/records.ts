// route53/records: a set of record sets in one zone, written as ONE atomic change batch (UPSERT
// of exactly what differs); ready() once the change is INSYNC (refresh() asks GetChange; the
// engine polls). Record sets have no tags: the zone is ours, and only the names and types the
// spec produces are compared (others are left alone).
import { ChangeResourceRecordSetsCommand, GetChangeCommand, ListResourceRecordSetsCommand, type ResourceRecordSet } from '@aws-sdk/client-route-53';
import { defineKind, isOutputRef, type KindContext, type Observed } from '../kind.js';
import { hostedZoneKind } from './hosted-zone.js';

export interface DesiredRecord {
  name: string;
  type: 'A' | 'AAAA' | 'CNAME' | 'TXT';
  ttl?: number;
  values?: string[];
  alias?: { hostedZoneId: string; dnsName: string };
}

export interface RecordsProps {
  zoneId: string;
  records: DesiredRecord[];
}
interface RecordsState {
  zoneId: string;
  records: Record<string, DesiredRecord>;
  /** The id of the change batch this apply sent, until Route 53 reports it INSYNC. */
  pendingChange?: string;
}

const dot = (n: string) => (n.endsWith('.') ? n : `${n}.`).toLowerCase();
const key = (r: { name: string; type: string }) => `${dot(r.name)}|${r.type}`;

/** Pure: canonical form of a record for comparison. */
export function canonicalRecord(r: DesiredRecord): DesiredRecord {
  return r.alias
    ? { name: dot(r.name), type: r.type, alias: { hostedZoneId: r.alias.hostedZoneId.replace('/hostedzone/', ''), dnsName: dot(r.alias.dnsName) } }
    : { name: dot(r.name), type: r.type, ttl: r.ttl ?? 300, values: [...(r.values ?? [])].sort() };
}

function fromWire(r: ResourceRecordSet): DesiredRecord {
  return canonicalRecord(r.AliasTarget
    ? { name: r.Name!.replace(/\\052/g, '*'), type: r.Type as DesiredRecord['type'], alias: { hostedZoneId: r.AliasTarget.HostedZoneId!, dnsName: r.AliasTarget.DNSName! } }
    : { name: r.Name!.replace(/\\052/g, '*'), type: r.Type as DesiredRecord['type'], ttl: r.TTL, values: (r.ResourceRecords ?? []).map((x) => x.Value!) });
}

/** Every record set of a zone, keyed by `name.|TYPE`, in canonical form (share it through ctx.memo: zoneRecords). */
export async function readZone(ctx: KindContext, zoneId: string): Promise<Record<string, DesiredRecord>> {
  const out: Record<string, DesiredRecord> = {};
  // One paged list per zone for all of its record sets.
  let next: { name?: string; type?: string } = {};
  do {
    const page = await ctx.aws.route53.send(new ListResourceRecordSetsCommand({ HostedZoneId: zoneId, StartRecordName: next.name, StartRecordType: next.type as never }));
    for (const r of page.ResourceRecordSets ?? []) out[key({ name: r.Name!.replace(/\\052/g, '*'), type: r.Type! })] = fromWire(r);
    next = page.IsTruncated ? { name: page.NextRecordName, type: page.NextRecordType } : {};
  } while (next.name);
  return out;
}

/** A zone's record sets, listed once per run (the zone's name servers are its apex NS record). */
export function zoneRecords(ctx: KindContext, zoneId: string): Promise<Record<string, DesiredRecord>> {
  return ctx.memo(`route53/rrsets/${zoneId}`, () => readZone(ctx, zoneId));
}

export const recordsKind = defineKind<RecordsProps, RecordsState>({
  kind: 'route53/records',
  observeAfter: ['route53/hosted-zone'],
  async observeAll(ctx, desired) {
    if (desired.length === 0) return [];
    const zones = await hostedZoneKind.observeAll(ctx, []);
    const out: Observed<RecordsState>[] = [];
    for (const d of desired) {
      const zoneRef = d.properties.zoneId;
      const zone = zones.find((z) => (isOutputRef(zoneRef) ? z.id === zoneRef.$ref : z.physicalId === zoneRef));
      if (!zone) continue;
      // Validation and alias records live in the same zone: one listing serves both.
      const records = await zoneRecords(ctx, zone.physicalId);
      out.push({ id: d.id, kind: this.kind, physicalId: `${zone.physicalId}/${d.id}`, owned: false, status: 'INSYNC',
        state: { zoneId: zone.physicalId, records }, outputs: {} });
    }
    return out;
  },
  diff(desired, observed) {
    const fields = [];
    for (const r of desired.records.map(canonicalRecord)) {
      const have = observed.state.records[key(r)];
      if (JSON.stringify(have) !== JSON.stringify(r)) fields.push({ path: `records[${r.name} ${r.type}]`, old: have ?? null, new: r });
    }
    return { fields, replaces: [] };
  },
  async create(ctx, desired) {
    const live = await readZone(ctx, desired.properties.zoneId);
    return this.update(ctx, desired, { id: desired.id, kind: this.kind, physicalId: `${desired.properties.zoneId}/${desired.id}`, owned: false, status: 'INSYNC',
      state: { zoneId: desired.properties.zoneId, records: live }, outputs: {} }, { fields: [], replaces: [] });
  },
  async update(ctx, desired, observed) {
    const zoneId = desired.properties.zoneId;
    const wanted = desired.properties.records.map(canonicalRecord);
    const changes = wanted.filter((r) => JSON.stringify(observed.state.records[key(r)]) !== JSON.stringify(r)).map((r) => ({
      Action: 'UPSERT' as const,
      ResourceRecordSet: r.alias
        ? { Name: r.name, Type: r.type, AliasTarget: { HostedZoneId: r.alias.hostedZoneId, DNSName: r.alias.dnsName, EvaluateTargetHealth: false } }
        : { Name: r.name, Type: r.type, TTL: r.ttl, ResourceRecords: (r.values ?? []).map((Value) => ({ Value })) },
    }));
    if (changes.length === 0) return { ...observed, status: 'INSYNC', state: { zoneId, records: observed.state.records } };
    const info = (await ctx.aws.route53.send(new ChangeResourceRecordSetsCommand({ HostedZoneId: zoneId, ChangeBatch: { Comment: `platformd ${ctx.platform} ${desired.id}`, Changes: changes } }))).ChangeInfo!;
    // The listing shows the new records at once; ready() waits until every authoritative server answers them.
    return { ...observed, status: info.Status, state: { zoneId, records: await readZone(ctx, zoneId), ...(info.Status === 'INSYNC' ? {} : { pendingChange: info.Id }) } };
  },
  async delete() {
    // Record sets carry no ownership of their own; they go with the zone.
  },
  async refresh(ctx, observed) {
    const changeId = observed.state.pendingChange;
    if (!changeId) return observed;
    const status = (await ctx.aws.route53.send(new GetChangeCommand({ Id: changeId }))).ChangeInfo?.Status;
    if (status !== 'INSYNC') return { ...observed, status };
    const { pendingChange: _done, ...state } = observed.state;
    return { ...observed, status, state };
  },
  ready(observed) {
    return observed.status === 'INSYNC' ? true : { waiting: `Route 53 change ${observed.status ?? 'PENDING'}` };
  },
});
