// route53/hosted-zone: the public zone of the domain — created (CallerReference derived from the
// platform and id, so an interrupted create can never make a second zone), or an existing zone
// adopted by name or id (read-only). Its name servers are what the registrar must delegate to.
import { resolveNs } from 'node:dns/promises';
import { ChangeResourceRecordSetsCommand, CreateHostedZoneCommand, DeleteHostedZoneCommand, ListResourceRecordSetsCommand, type ResourceRecordSet, GetHostedZoneCommand, ListHostedZonesByNameCommand, ListTagsForResourcesCommand,
  ChangeTagsForResourceCommand, paginateListHostedZones, type HostedZone } from '@aws-sdk/client-route-53';
import { createHash } from 'node:crypto';
import { errorName, isNotFound } from '../../cloud/aws-errors.js';
import { ownedId, ownershipTags } from '../ownership.js';
import { defineKind, type Desired, type KindContext, type Observed } from '../kind.js';
import type { OperatorAction } from '../plan-values.js';

export interface HostedZoneProps { name: string }
interface ZoneState {
  name: string;
  /** Whether public DNS delegates to the zone's name servers (undefined: DNS could not tell). */
  delegated?: boolean;
}

const bare = (id: string) => id.replace('/hostedzone/', '');
const dot = (n: string) => (n.endsWith('.') ? n : `${n}.`);

/** Whether the parent zone already delegates to these name servers (unknown when DNS cannot tell). */
async function delegation(name: string, nameServers: string[]): Promise<boolean | undefined> {
  try {
    const ns = (await resolveNs(name.replace(/\.$/, ''))).map((n) => n.toLowerCase().replace(/\.$/, ''));
    return nameServers.every((n) => ns.includes(n.toLowerCase()));
  } catch {
    return undefined;
  }
}

async function toObserved(route53: import('@aws-sdk/client-route-53').Route53Client, z: HostedZone, id: string, owned: boolean): Promise<Observed<ZoneState>> {
  const full = await route53.send(new GetHostedZoneCommand({ Id: bare(z.Id!) }));
  const nameServers = full.DelegationSet?.NameServers ?? [];
  const delegated = await delegation(z.Name!, nameServers);
  return { id, kind: hostedZoneKind.kind, physicalId: bare(z.Id!), owned, status: 'available',
    state: { name: z.Name!, ...(delegated === undefined ? {} : { delegated }) },
    outputs: { zoneId: bare(z.Id!), name: z.Name, nameServers } };
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
  const zones: HostedZone[] = [];
  for await (const page of paginateListHostedZones({ client: r53 }, {})) zones.push(...(page.HostedZones ?? []));
  const out: Observed<ZoneState>[] = [];
  // Tags come in batches of ten zones per call.
  for (let i = 0; i < zones.length; i += 10) {
    const batch = zones.slice(i, i + 10);
    const tags = await r53.send(new ListTagsForResourcesCommand({ ResourceType: 'hostedzone', ResourceIds: batch.map((z) => bare(z.Id!)) }));
    for (const set of tags.ResourceTagSets ?? []) {
      const id = ownedId(set.Tags, ctx.platform);
      const z = batch.find((x) => bare(x.Id!) === set.ResourceId);
      if (id && z) out.push(await toObserved(r53, z, id, true));
    }
  }
  for (const d of desired.filter((x) => x.readOnly)) {
    const z = zones.find((x) => bare(x.Id!) === d.readOnly!.physicalId || (d.readOnly!.physicalId.startsWith('name:') && x.Name === dot(d.readOnly!.physicalId.slice(5))));
    if (z) out.push(await toObserved(r53, z, d.id, false));
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
    return dot(desired.name) === observed.state.name ? { fields: [], replaces: [] } : { fields: [{ path: 'name', old: observed.state.name, new: dot(desired.name) }], replaces: ['name'] };
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
    // Route 53 has no tags at creation: tag right after (the caller reference already ties it to us).
    await r53.send(new ChangeTagsForResourceCommand({ ResourceType: 'hostedzone', ResourceId: bare(zone.Id!), AddTags: ownershipTags(ctx.platform, desired.id) }));
    return toObserved(r53, zone, desired.id, true);
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
      const z = (await ctx.aws.route53.send(new GetHostedZoneCommand({ Id: observed.physicalId }))).HostedZone!;
      return toObserved(ctx.aws.route53, z, observed.id, observed.owned);
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw err;
    }
  },
  ready: () => true,
});
