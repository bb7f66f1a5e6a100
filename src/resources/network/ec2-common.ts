// Pure helpers shared by the EC2-backed network kinds: ownership filters and tag specifications,
// the generic property diff, and tag repair.
import { CreateTagsCommand, type EC2Client, type Filter, type ResourceType, type Tag } from '@aws-sdk/client-ec2';
import { ownershipTags, TAG_ID, TAG_PLATFORM, tagMap } from '../ownership.js';
import type { DiffResult, FieldChange } from '../kind.js';
import { appliedDigest, TAG_APPLIED_DIGEST } from '../applied-digest.js';

/** EC2 allows 50 tags per resource. */
const MAX_TAGS = 50;

/** The Describe filter that finds every object this platform owns. */
export function ownedFilter(platform: string): Filter[] {
  return [{ Name: `tag:${TAG_PLATFORM}`, Values: [platform] }];
}

/** Filter for one logical id (find-before-create for APIs without client tokens). */
export function idFilter(platform: string, id: string): Filter[] {
  return [...ownedFilter(platform), { Name: `tag:${TAG_ID}`, Values: [id] }];
}

/** Ownership tags plus the resource's own tags, in the create call itself. */
export function tagSpecification(resourceType: ResourceType, platform: string, id: string, tags: Record<string, string>) {
  return [{ ResourceType: resourceType, Tags: [...ownershipTags(platform, id), ...Object.entries(tags).map(([Key, Value]) => ({ Key, Value }))] }];
}

/** Tags as a map without the ownership and applied-digest tags (those are compared by observation, not diffed). */
export function userTags(tags: Tag[] | undefined): Record<string, string> {
  const m = tagMap(tags);
  delete m[TAG_PLATFORM];
  delete m[TAG_ID];
  delete m[TAG_APPLIED_DIGEST];
  return m;
}

/** The applied-digest tag's value on a resource, if it has one. */
export function recordedDigest(tags: Tag[] | undefined): string | undefined {
  return tagMap(tags)[TAG_APPLIED_DIGEST];
}

/**
 * Record what platformd just applied (applied-digest.ts): called once a create or update has
 * completed, never in the create call, so an interrupted create is not recorded as applied.
 * Skipped when the tag would not fit (value length, or the resource's 50 tags taken by the spec's).
 */
export async function recordApplied(ec2: EC2Client, resourceId: string, applied: { tags?: Record<string, string> }, signal?: AbortSignal): Promise<void> {
  const value = appliedDigest(applied);
  const tagCount = Object.keys(applied.tags ?? {}).length + 3;
  if (value === undefined || tagCount > MAX_TAGS) return;
  await ec2.send(new CreateTagsCommand({ Resources: [resourceId], Tags: [{ Key: TAG_APPLIED_DIGEST, Value: value }] }), { abortSignal: signal });
}

/**
 * A list element as a set member: scalars by their text, objects (node group taints) by their
 * content with keys sorted; String() would make every object "[object Object]" and hide changes.
 */
function setMember(v: unknown): string {
  if (v === null || typeof v !== 'object') return String(v);
  return JSON.stringify(v, (_k, x: unknown) => (x && typeof x === 'object' && !Array.isArray(x) ? Object.fromEntries(Object.entries(x).sort(([p], [q]) => (p < q ? -1 : p > q ? 1 : 0))) : x));
}

/**
 * Pure: compare only what the spec sets. Objects (tags, routes) compare per key so a change reads
 * `tags.Name: "a" → "b"`; arrays compare as sorted sets. `replaceKeys` cannot change in place.
 */
export function diffProps<P extends object>(desired: P, actual: { [K in keyof P]?: unknown }, replaceKeys: readonly (keyof P & string)[] = []): DiffResult {
  const fields: FieldChange[] = [];
  const live = new Map<string, unknown>(Object.entries(actual));
  for (const [key, want] of Object.entries(desired) as [string, unknown][]) {
    const have = live.get(key);
    if (want && typeof want === 'object' && !Array.isArray(want)) {
      const haveObj = (have ?? {}) as Record<string, unknown>;
      const keys = new Set([...Object.keys(want), ...(key === 'tags' ? [] : Object.keys(haveObj))]);
      for (const k of [...keys].sort()) {
        const w = (want as Record<string, unknown>)[k];
        const h = haveObj[k];
        if (JSON.stringify(w) !== JSON.stringify(h)) fields.push({ path: `${key}.${k}`, old: h ?? null, new: w ?? null });
      }
    } else if (Array.isArray(want)) {
      const a = JSON.stringify([...want].map(setMember).sort());
      const b = JSON.stringify([...((have as unknown[]) ?? [])].map(setMember).sort());
      if (a !== b) fields.push({ path: key, old: have ?? null, new: want });
    } else if (JSON.stringify(want) !== JSON.stringify(have)) {
      fields.push({ path: key, old: have ?? null, new: want });
    }
  }
  const replacing = new Set<string>(replaceKeys);
  return { fields, replaces: fields.filter((f) => replacing.has(f.path.split('.')[0]!)).map((f) => f.path) };
}

/** Set the tags a diff reports as changed or missing (tags.<key> fields). */
export async function repairTags(ec2: EC2Client, resourceId: string, changes: DiffResult, signal?: AbortSignal): Promise<void> {
  const tags = changes.fields.filter((f) => f.path.startsWith('tags.') && f.new !== null)
    .map((f) => ({ Key: f.path.slice('tags.'.length), Value: String(f.new) }));
  if (tags.length > 0) await ec2.send(new CreateTagsCommand({ Resources: [resourceId], Tags: tags }), { abortSignal: signal });
}
