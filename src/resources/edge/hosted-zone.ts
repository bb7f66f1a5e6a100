// route53/hosted-zone: the public zone of the domain — created (CallerReference derived from the
// platform and id, so an interrupted create can never make a second zone), or an existing zone
// adopted by name or id (read-only). Its name servers are what the registrar must delegate to.
import { resolveNs } from 'node:dns/promises';
import { ChangeResourceRecordSetsCommand, CreateHostedZoneCommand, DeleteHostedZoneCommand, ListResourceRecordSetsCommand, type ResourceRecordSet, GetHostedZoneCommand, ListHostedZonesByNameCommand, ListTagsForResourcesCommand,
  ChangeTagsForResourceCommand, paginateListHostedZones, type HostedZone, type Route53Client, type Tag } from '@aws-sdk/client-route-53';
import { createHash } from 'node:crypto';
import { errorName, isNotFound } from '../../cloud/aws-errors.js';
import { cachePerClient } from '../../cloud/lifetime-cache.js';
import { ownedId, ownershipTags, tagMap } from '../ownership.js';
import { appliedDigest, TAG_APPLIED_DIGEST, withOrigins } from '../applied-digest.js';
import { defineKind, type Desired, type KindContext, type Observed } from '../kind.js';
import type { OperatorAction } from '../plan-values.js';
// NOTE(import-cycle): records.ts imports this module too; both only call each other's functions
// at run time, never while the modules load.
import { zoneRecords } from './records.js';

export interface HostedZoneProps { name: string }
interface ZoneState {
  name: string;
  /** Whether public DNS delegates to the zone's name servers (undefined: DNS could not tell). */
  delegated?: boolean;
}

const bare = (id: string) => id.replace('/hostedzone/', '');
const dot = (n: string) => (n.endsWith('.') ? n : `${n}.`);
/** What diff compares, as the applied-digest records it: the zone's name, dot-terminated. */
const comparable = (p: HostedZoneProps) => ({ name: dot(p.name) });

/** Whether the parent zone already delegates to these name servers (unknown when DNS cannot tell). */
async function delegation(name: string, nameServers: string[]): Promise<boolean | undefined> {
  try {
    const ns = (await resolveNs(name.replace(/\.$/, ''))).map((n) => n.toLowerCase().replace(/\.$/, ''));
    return nameServers.every((n) => ns.includes(n.toLowerCase()));
  } catch {
    return undefined;
  }
}

async function toObserved(z: HostedZone, nameServers: string[], id: string, owned: boolean): Promise<Observed<ZoneState>> {
  const delegated = await delegation(z.Name!, nameServers);
  return { id, kind: hostedZoneKind.kind, physicalId: bare(z.Id!), owned, status: 'available',
    state: { name: z.Name!, ...(delegated === undefined ? {} : { delegated }) },
    outputs: { zoneId: bare(z.Id!), name: z.Name, nameServers } };
}

/**
 * The zone as an observation reads it: its name servers are the values of its apex NS record,
 * which the run's one listing of the zone's record sets (shared with the records kind) holds —
 * no GetHostedZone for the delegation set.
 */
async function observedFromRecords(ctx: KindContext, z: HostedZone, id: string, owned: boolean): Promise<Observed<ZoneState>> {
  const records = await zoneRecords(ctx, bare(z.Id!));
  const ns = records[`${dot(z.Name!).toLowerCase()}|NS`]?.values ?? [];
  return toObserved(z, ns.map((n) => n.replace(/\.$/, '')), id, owned);
}

/** The zone from GetHostedZone, whose delegation set names its name servers. */
async function observedFromGet(route53: Route53Client, zoneId: string, id: string, owned: boolean): Promise<Observed<ZoneState>> {
  const full = await route53.send(new GetHostedZoneCommand({ Id: zoneId }));
  return toObserved(full.HostedZone!, full.DelegationSet?.NameServers ?? [], id, owned);
}

/**
 * Zone tags by zone id, across reconciles: platformd tags a zone right after creating it and
 * never changes those tags, and a zone id is never reused, so the ownership read is made once.
 */
const zoneTagCache = cachePerClient<Tag[]>(5_000);

/** Tags of these zones, ten per call (ListTagsForResources' maximum), cached ones not read again. */
async function zoneTags(r53: Route53Client, zones: readonly HostedZone[]): Promise<Map<string, Tag[]>> {
  const cache = zoneTagCache(r53);
  const out = new Map<string, Tag[]>();
  const missing = zones.filter((z) => {
    const known = cache.get(bare(z.Id!));
    if (known) out.set(bare(z.Id!), known);
    return !known;
  });
  for (let i = 0; i < missing.length; i += 10) {
    const tags = await r53.send(new ListTagsForResourcesCommand({ ResourceType: 'hostedzone', ResourceIds: missing.slice(i, i + 10).map((z) => bare(z.Id!)) }));
    for (const set of tags.ResourceTagSets ?? []) {
      cache.set(set.ResourceId!, set.Tags ?? []);
      out.set(set.ResourceId!, set.Tags ?? []);
    }
  }
  return out;
}

/** The zones called `name` (ListHostedZonesByName starts at that name, in its order; a name may have several zones). */
async function zonesNamed(r53: Route53Client, name: string): Promise<HostedZone[]> {
  const out: HostedZone[] = [];
  let next: { DNSName?: string; HostedZoneId?: string } = { DNSName: name };
  for (;;) {
    const page = await r53.send(new ListHostedZonesByNameCommand({ ...next, MaxItems: 100 }));
    const zones = page.HostedZones ?? [];
    out.push(...zones.filter((z) => z.Name === dot(name)));
    // Sorted by name: once a page ends past the name, no later page has it.
    if (!page.IsTruncated || zones.some((z) => z.Name !== dot(name))) return out;
    next = { DNSName: page.NextDNSName, HostedZoneId: page.NextHostedZoneId };
  }
}

/** The registrar step: delegate the zone to its name servers (done once public DNS says so). */
function delegationAction(observed: Observed<ZoneState>): OperatorAction {
  const { name, delegated } = observed.state;
  const nameServers = (observed.outputs.nameServers as string[] | undefined) ?? [];
  return {
    id: `delegate ${name}`, summary: `Delegate ${name} to ${nameServers.join(', ')} at your registrar`,
    detail: delegated === undefined ? 'Delegation could not be checked from here (no answer from public DNS).' : delegated ? 'Delegation is in place.' : 'The parent zone does not delegate to these name servers yet.',
    done: delegated === true,
  };
}

async function observeZones(ctx: KindContext, desired: Desired<HostedZoneProps>[]): Promise<Observed<ZoneState>[]> {
  const r53 = ctx.aws.route53;
  const wanted = desired.filter((d) => !d.readOnly).map((d) => d.properties.name);
  // Only the zones of the names the spec wants: other people's zones cost nothing. Every zone of
  // the account when there is none to look for (a teardown), or when a wanted name has no zone of
  // ours (not created yet, or the domain changed: the old zone must be seen to be replaced).
  let zones = (await Promise.all(wanted.map((name) => zonesNamed(r53, name)))).flat();
  let tags = await zoneTags(r53, zones);
  const ownedNames = new Set(zones.filter((z) => ownedId(tags.get(bare(z.Id!)), ctx.platform) !== undefined).map((z) => z.Name));
  if (wanted.length === 0 || wanted.some((name) => !ownedNames.has(dot(name)))) {
    zones = [];
    for await (const page of paginateListHostedZones({ client: r53 }, {})) zones.push(...(page.HostedZones ?? []));
    tags = await zoneTags(r53, zones);
  }
  const out: Observed<ZoneState>[] = [];
  for (const z of zones) {
    const id = ownedId(tags.get(bare(z.Id!)), ctx.platform);
    if (id) out.push({ ...await observedFromRecords(ctx, z, id, true), appliedDigest: tagMap(tags.get(bare(z.Id!)))[TAG_APPLIED_DIGEST] });
  }
  for (const d of desired.filter((x) => x.readOnly)) {
    const ref = d.readOnly!.physicalId;
    if (ref.startsWith('name:')) {
      const z = (await zonesNamed(r53, ref.slice(5)))[0];
      if (z) out.push(await observedFromRecords(ctx, z, d.id, false));
      continue;
    }
    try {
      out.push(await observedFromGet(r53, bare(ref), d.id, false));
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  }
  return out;
}

export const hostedZoneKind = defineKind<HostedZoneProps, ZoneState>({
  kind: 'route53/hosted-zone',
  deletionCategory: 'hostedZone',
  observeAll(ctx, desired) {
    // The records kind reads the same zones: one read per run serves both.
    return ctx.memo('route53/hosted-zone', () => observeZones(ctx, desired));
  },
  // Name servers are known once the zone exists; before that there is nothing to delegate to.
  operatorActions: (_desired, observed) => (observed ? [delegationAction(observed)] : []),
  diff(desired, observed) {
    const diff = dot(desired.name) === observed.state.name ? { fields: [], replaces: [] } : { fields: [{ path: 'name', old: observed.state.name, new: dot(desired.name) }], replaces: ['name'] };
    return withOrigins(diff, comparable(desired), observed.appliedDigest);
  },
  async create(ctx, desired) {
    const r53 = ctx.aws.route53;
    const ref = createHash('sha256').update(`${ctx.platform}|${desired.id}|${desired.properties.name}`).digest('hex').slice(0, 32);
    let zone: HostedZone;
    try {
      zone = (await r53.send(new CreateHostedZoneCommand({ Name: desired.properties.name, CallerReference: `platformd-${ref}`, HostedZoneConfig: { Comment: `platformd ${ctx.platform}`, PrivateZone: false } }))).HostedZone!;
    } catch (err) {
      if (errorName(err) !== 'HostedZoneAlreadyExists') throw err;
      // Created by an interrupted run with the same caller reference: find it.
      const found = (await r53.send(new ListHostedZonesByNameCommand({ DNSName: desired.properties.name }))).HostedZones?.find((z) => z.CallerReference === `platformd-${ref}`);
      if (!found) throw err;
      zone = found;
    }
    // Route 53 has no tags at creation: tag right after (the caller reference already ties it to us),
    // with the record of what the zone was created as (its name: nothing else is platformd's to set).
    const digest = appliedDigest(comparable(desired.properties));
    await r53.send(new ChangeTagsForResourceCommand({ ResourceType: 'hostedzone', ResourceId: bare(zone.Id!),
      AddTags: [...ownershipTags(ctx.platform, desired.id), ...(digest === undefined ? [] : [{ Key: TAG_APPLIED_DIGEST, Value: digest }])] }));
    // Its tags changed (a cached read of the untagged zone would hide it as not ours).
    zoneTagCache(r53).delete(bare(zone.Id!));
    return observedFromGet(r53, bare(zone.Id!), desired.id, true);
  },
  async update(_ctx, _desired, observed) {
    return observed;
  },
  async delete(ctx, observed) {
    try {
      // The zone is ours, and so is everything in it: empty it (one batch) before deleting it.
      const sets: ResourceRecordSet[] = [];
      let next: { name?: string; type?: string } = {};
      do {
        const page = await ctx.aws.route53.send(new ListResourceRecordSetsCommand({ HostedZoneId: observed.physicalId, StartRecordName: next.name, StartRecordType: next.type as never }));
        sets.push(...(page.ResourceRecordSets ?? []));
        next = page.IsTruncated ? { name: page.NextRecordName, type: page.NextRecordType } : {};
      } while (next.name);
      const removable = sets.filter((r) => !(r.Name === observed.state.name && (r.Type === 'SOA' || r.Type === 'NS')));
      if (removable.length > 0) {
        await ctx.aws.route53.send(new ChangeResourceRecordSetsCommand({ HostedZoneId: observed.physicalId,
          ChangeBatch: { Comment: `platformd ${ctx.platform}: deleting the zone`, Changes: removable.map((r) => ({ Action: 'DELETE' as const, ResourceRecordSet: r })) } }));
      }
      await ctx.aws.route53.send(new DeleteHostedZoneCommand({ Id: observed.physicalId }));
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  },
  async refresh(ctx, observed) {
    try {
      return await observedFromGet(ctx.aws.route53, observed.physicalId, observed.id, observed.owned);
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw err;
    }
  },
  ready: () => true,
});
