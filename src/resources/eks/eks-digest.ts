// The applied-digest record (resources/applied-digest.ts) on EKS objects, whose tags Describe*
// already returns. CreateCluster, CreateNodegroup and CreateAddon apply every property in the one
// call, so the record goes in that call's tags: the object never exists without what it records.
// Updates record with TagResource once their last step has been sent (one update runs at a time,
// see NOTE(one-step-updates) in cluster.ts): until then the earlier record stays true of the
// fields still pending.
import { TagResourceCommand, type EKSClient } from '@aws-sdk/client-eks';
import { appliedDigest, TAG_APPLIED_DIGEST } from '../applied-digest.js';

/** EKS allows 50 tags per resource; platformd's objects carry its two ownership tags and this one. */
function digestTag(applied: object): Record<string, string> {
  const value = appliedDigest(applied);
  return value === undefined ? {} : { [TAG_APPLIED_DIGEST]: value };
}

/** The create call's tags: ownership plus the record of `applied`. */
export function createTags(ownership: Record<string, string>, applied: object): Record<string, string> {
  return { ...ownership, ...digestTag(applied) };
}

/** Record `applied` on the object `arn` names, after an update's last step. */
export async function recordEksApplied(eks: EKSClient, arn: string, applied: object, signal?: AbortSignal): Promise<void> {
  const tags = digestTag(applied);
  if (Object.keys(tags).length > 0) await eks.send(new TagResourceCommand({ resourceArn: arn, tags }), { abortSignal: signal });
}

/** The record on an object, from the tags its Describe* returned. */
export function eksRecordedDigest(tags: Record<string, string> | undefined): string | undefined {
  return tags?.[TAG_APPLIED_DIGEST];
}
