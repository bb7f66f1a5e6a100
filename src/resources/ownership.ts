// Ownership and safety policy in one place: which tags/labels mark a resource as ours, and the
// decisions that follow (adopt read-only, deletion opt-ins). Kinds call these; they never
// re-implement the rules.
import type { DeletionSpec } from '../platform-spec/types.js';
import type { ResolvedDeletion } from '../platform-spec/resolved.js';

export const TAG_PLATFORM = 'platformd.dev/platform';
export const TAG_ID = 'platformd.dev/id';
export const LABEL_MANAGED_BY = 'app.kubernetes.io/managed-by';
export const LABEL_PLATFORM = 'platformd.dev/platform';
/** Kubernetes label values cannot hold '/', so the logical id of a kube object goes in an annotation. */
export const ANNOTATION_ID = 'platformd.dev/id';
export const MANAGER = 'platformd';

export interface Tag { Key?: string; Value?: string }

/** The ownership tags every AWS resource we create carries from its create call onwards. */
export function ownershipTags(platform: string, id: string): { Key: string; Value: string }[] {
  return [
    { Key: TAG_PLATFORM, Value: platform },
    { Key: TAG_ID, Value: id },
  ];
}

/** Same as ownershipTags, as a map (EKS, ACM-style APIs take maps). */
export function ownershipTagMap(platform: string, id: string): Record<string, string> {
  return { [TAG_PLATFORM]: platform, [TAG_ID]: id };
}

/** Convert an AWS tag list ([{Key, Value}]) into a map. */
export function tagMap(tags: Tag[] | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const t of tags ?? []) if (t.Key !== undefined) out[t.Key] = t.Value ?? '';
  return out;
}

/** The logical id a resource's tags claim, if it belongs to this platform; undefined otherwise. */
export function ownedId(tags: Record<string, string> | Tag[] | undefined, platform: string): string | undefined {
  const map = Array.isArray(tags) ? tagMap(tags) : (tags ?? {});
  return map[TAG_PLATFORM] === platform ? map[TAG_ID] : undefined;
}

/** The labels every Kubernetes object we apply carries; the label selector finds them again. */
export function ownershipLabels(platform: string): Record<string, string> {
  return { [LABEL_MANAGED_BY]: MANAGER, [LABEL_PLATFORM]: platform };
}

export function ownershipSelector(platform: string): string {
  return `${LABEL_MANAGED_BY}=${MANAGER},${LABEL_PLATFORM}=${platform}`;
}

export type DeletionCategory = NonNullable<DeletionSpec['allow']>[number];

/** Whether the spec opted in to deleting resources of this category. */
export function deletionAllowed(deletion: ResolvedDeletion, category: DeletionCategory | undefined): boolean {
  if (category === undefined) return true;
  return deletion.allow.includes(category);
}
