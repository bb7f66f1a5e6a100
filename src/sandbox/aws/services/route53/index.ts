// The emulated Route 53 (restXml, signing name route53): hosted zones with delegation sets,
// record sets (alias targets included), atomic change batches validated as Route 53 does
// (change-batch.ts) that go PENDING → INSYNC, and the real errors: InvalidChangeBatch,
// PriorRequestNotComplete, HostedZoneAlreadyExists, HostedZoneNotEmpty, NoSuchHostedZone, Throttling.
import { el, restXmlCodec } from '../../protocol/rest-xml.js';
import type { ScaledClock } from '../../../clock.js';
import { ServiceError, type EmulatedService, type OperationHandler } from '../../service.js';
import { canonicalName, Route53State, zoneIdOf, type HostedZone, type RecordSet } from './state.js';
import { applyChangeBatch, type AliasTargets } from './change-batch.js';

const XMLNS = 'https://route53.amazonaws.com/doc/2013-04-01/';
const P = '/2013-04-01';
const arr = <T>(v: T | T[] | undefined): T[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

function zoneXml(z: HostedZone): string {
  return el('HostedZone', el('Id', `/hostedzone/${z.id}`) + el('Name', z.name) + el('CallerReference', z.callerReference)
    + el('Config', (z.comment ? el('Comment', z.comment) : '') + el('PrivateZone', 'false')) + el('ResourceRecordSetCount', z.records.length));
}

function recordXml(r: RecordSet): string {
  return el('ResourceRecordSet', el('Name', r.name.replace(/\*/g, '\\052')) + el('Type', r.type)
    + (r.alias ? el('AliasTarget', el('HostedZoneId', r.alias.hostedZoneId) + el('DNSName', r.alias.dnsName) + el('EvaluateTargetHealth', String(r.alias.evaluateTargetHealth)))
      : el('TTL', r.ttl) + el('ResourceRecords', (r.values ?? []).map((v) => el('ResourceRecord', el('Value', v))).join(''))));
}

function delegationXml(z: HostedZone): string {
  return el('DelegationSet', el('NameServers', z.nameServers.map((n) => el('NameServer', n)).join('')));
}

export class Route53Service implements EmulatedService {
  readonly name = 'route53';
  readonly signingName = 'route53';
  readonly codec = restXmlCodec([
    { method: 'POST', path: `${P}/hostedzone`, operation: 'CreateHostedZone' },
    { method: 'GET', path: `${P}/hostedzone`, operation: 'ListHostedZones' },
    { method: 'GET', path: `${P}/hostedzonesbyname`, operation: 'ListHostedZonesByName' },
    { method: 'GET', path: `${P}/hostedzone/{Id}`, operation: 'GetHostedZone' },
    { method: 'DELETE', path: `${P}/hostedzone/{Id}`, operation: 'DeleteHostedZone' },
    { method: 'POST', path: `${P}/hostedzone/{Id}/rrset`, operation: 'ChangeResourceRecordSets' },
    { method: 'GET', path: `${P}/hostedzone/{Id}/rrset`, operation: 'ListResourceRecordSets' },
    { method: 'GET', path: `${P}/change/{Id}`, operation: 'GetChange' },
    { method: 'POST', path: `${P}/tags/{ResourceType}/{ResourceId}`, operation: 'ChangeTagsForResource' },
    { method: 'GET', path: `${P}/tags/{ResourceType}/{ResourceId}`, operation: 'ListTagsForResource' },
    { method: 'POST', path: `${P}/tags/{ResourceType}`, operation: 'ListTagsForResources' },
  ], XMLNS);
  readonly throttle = { code: 'Throttling', status: 400, message: 'Rate exceeded' };
  readonly operations: Record<string, OperationHandler>;
  readonly state: Route53State;
  /** Lookups into the other emulated services (alias targets); elbv2/connect.ts fills them. */
  readonly hooks: Pick<AliasTargets, 'loadBalancerExists'> = {};
  private lastChangeAt = new Map<string, number>();

  constructor(clock: ScaledClock) {
    const s = (this.state = new Route53State(clock));
    const zone = (id: unknown) => {
      const z = s.zones.get(String(id).replace('/hostedzone/', ''));
      if (!z) throw new ServiceError('NoSuchHostedZone', `No hosted zone found with ID: ${id}`, 404);
      return z;
    };
    const rate = () => {
      if (!s.takeToken()) throw new ServiceError('Throttling', 'Rate exceeded', 400);
    };
    const changeXml = (c: { id: string; submittedAt: Date; insyncAt: number }) =>
      el('ChangeInfo', el('Id', `/change/${c.id}`) + el('Status', s.clock.passed(c.insyncAt) ? 'INSYNC' : 'PENDING') + el('SubmittedAt', c.submittedAt.toISOString()));
    this.operations = {
      CreateHostedZone(input) {
        rate();
        if ([...s.zones.values()].some((z) => z.callerReference === input.CallerReference)) {
          throw new ServiceError('HostedZoneAlreadyExists', `A hosted zone has already been created with the specified caller reference.`, 409);
        }
        const id = zoneIdOf();
        const n = (k: number) => `ns-${(parseInt(id.slice(1, 5), 36) + k * 517) % 2048}.awsdns-${String((k * 17 + id.charCodeAt(3)) % 64).padStart(2, '0')}`;
        const z: HostedZone = { id, name: canonicalName(String(input.Name)), callerReference: String(input.CallerReference), comment: input.HostedZoneConfig?.Comment,
          nameServers: [`${n(0)}.com`, `${n(1)}.net`, `${n(2)}.org`, `${n(3)}.co.uk`], records: [], tags: new Map() };
        z.records.push({ name: z.name, type: 'SOA', ttl: 900, values: [`${z.nameServers[0]}. awsdns-hostmaster.amazon.com. 1 7200 900 1209600 86400`] });
        z.records.push({ name: z.name, type: 'NS', ttl: 172800, values: z.nameServers.map((x) => `${x}.`) });
        s.zones.set(id, z);
        const c = s.newChange(id);
        return { root: 'CreateHostedZoneResponse', status: 201, headers: { location: `https://route53.amazonaws.com${P}/hostedzone/${id}` }, xml: zoneXml(z) + changeXml(c) + delegationXml(z) };
      },
      GetHostedZone(input) {
        rate();
        const z = zone(input.Id);
        return { root: 'GetHostedZoneResponse', xml: zoneXml(z) + delegationXml(z) };
      },
      ListHostedZones(input) {
        rate();
        const all = [...s.zones.values()].sort((a, b) => a.id.localeCompare(b.id));
        const start = input.marker ? all.findIndex((z) => z.id === input.marker) : 0;
        const max = Number(input.maxitems ?? 100);
        const page = all.slice(Math.max(0, start), Math.max(0, start) + max);
        const next = all[Math.max(0, start) + max];
        return { root: 'ListHostedZonesResponse', xml: el('HostedZones', page.map(zoneXml).join('')) + el('IsTruncated', String(Boolean(next))) + (next ? el('NextMarker', next.id) : '') + el('MaxItems', max) };
      },
      ListHostedZonesByName(input) {
        rate();
        const wanted = input.dnsname ? canonicalName(String(input.dnsname)) : undefined;
        const all = [...s.zones.values()].filter((z) => !wanted || z.name >= wanted).sort((a, b) => a.name.localeCompare(b.name));
        const max = Number(input.maxitems ?? 100);
        return { root: 'ListHostedZonesByNameResponse', xml: el('HostedZones', all.slice(0, max).map(zoneXml).join('')) + (wanted ? el('DNSName', wanted) : '')
          + el('IsTruncated', String(all.length > max)) + el('MaxItems', max) };
      },
      DeleteHostedZone(input) {
        rate();
        const z = zone(input.Id);
        if (z.records.some((r) => r.type !== 'SOA' && !(r.type === 'NS' && r.name === z.name))) {
          throw new ServiceError('HostedZoneNotEmpty', 'The specified hosted zone contains non-required resource record sets and so cannot be deleted.', 400);
        }
        s.zones.delete(z.id);
        return { root: 'DeleteHostedZoneResponse', xml: changeXml(s.newChange(z.id)) };
      },
      ChangeResourceRecordSets: (input) => {
        rate();
        const z = zone(input.Id);
        // Many changes for one zone at the same moment: Route 53 asks the caller to come back.
        const last = this.lastChangeAt.get(z.id) ?? 0;
        if (Date.now() - last < 100 && s.pendingChange(z.id)) throw new ServiceError('PriorRequestNotComplete', 'The request was rejected because Route 53 was still processing a prior request.', 400);
        const changes = arr(input.ChangeBatch?.Changes?.Change);
        if (changes.length === 0) throw new ServiceError('InvalidInput', 'Invalid request: Expected exactly one of [ChangeBatch]', 400);
        const next = applyChangeBatch(z, changes, { zone: (id) => s.zones.get(id), loadBalancerExists: this.hooks.loadBalancerExists });
        z.records = next;
        this.lastChangeAt.set(z.id, Date.now());
        return { root: 'ChangeResourceRecordSetsResponse', xml: changeXml(s.newChange(z.id)) };
      },
      ListResourceRecordSets(input) {
        rate();
        const z = zone(input.Id);
        const sorted = [...z.records].sort((a, b) => a.name.split('.').reverse().join('.').localeCompare(b.name.split('.').reverse().join('.')) || a.type.localeCompare(b.type));
        const startName = input.name ? canonicalName(String(input.name)) : undefined;
        let start = 0;
        if (startName) start = Math.max(0, sorted.findIndex((r) => r.name === startName && (!input.type || r.type === input.type)));
        const max = Number(input.maxitems ?? 300);
        const page = sorted.slice(start, start + max);
        const next = sorted[start + max];
        return { root: 'ListResourceRecordSetsResponse', xml: el('ResourceRecordSets', page.map(recordXml).join('')) + el('IsTruncated', String(Boolean(next)))
          + (next ? el('NextRecordName', next.name) + el('NextRecordType', next.type) : '') + el('MaxItems', max) };
      },
      GetChange(input) {
        rate();
        const c = s.changes.get(String(input.Id).replace('/change/', ''));
        if (!c) throw new ServiceError('NoSuchChange', `A change with the specified change ID does not exist.`, 404);
        return { root: 'GetChangeResponse', xml: changeXml(c) };
      },
      ChangeTagsForResource(input) {
        rate();
        const z = zone(input.ResourceId);
        for (const t of arr(input.AddTags?.Tag)) z.tags.set(String((t as any).Key), String((t as any).Value ?? ''));
        for (const k of arr(input.RemoveTagKeys?.Key)) z.tags.delete(String(k));
        return { root: 'ChangeTagsForResourceResponse', xml: '' };
      },
      ListTagsForResource(input) {
        rate();
        const z = zone(input.ResourceId);
        return { root: 'ListTagsForResourceResponse', xml: el('ResourceTagSet', el('ResourceType', 'hostedzone') + el('ResourceId', z.id) + el('Tags', [...z.tags].map(([k, v]) => el('Tag', el('Key', k) + el('Value', v))).join(''))) };
      },
      ListTagsForResources(input) {
        rate();
        const ids = arr(input.ResourceIds?.ResourceId).map(String);
        if (ids.length > 10) throw new ServiceError('InvalidInput', 'at most 10 resource ids', 400);
        return { root: 'ListTagsForResourcesResponse', xml: el('ResourceTagSets', ids.map((id) => {
          const z = zone(id);
          return el('ResourceTagSet', el('ResourceType', 'hostedzone') + el('ResourceId', z.id) + el('Tags', [...z.tags].map(([k, v]) => el('Tag', el('Key', k) + el('Value', v))).join('')));
        }).join('')) };
      },
    };
  }

  reset(): void {
    this.state.zones.clear();
    this.state.changes.clear();
  }
}
