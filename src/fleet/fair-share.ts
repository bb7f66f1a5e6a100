// Fair share without a coordinator: every replica counts the live replicas (their membership
// Leases) and holds at most ceil(platforms ÷ live replicas) platform Leases. A replica over its
// share hands the surplus back; one under it may take free or expired Leases. Pure functions.
import { compareText } from '../compare-text.js';

/** How many platform Leases one replica may hold. At least 1 while there are platforms. */
export function fairShare(platforms: number, liveReplicas: number): number {
  if (platforms <= 0) return 0;
  return Math.ceil(platforms / Math.max(1, liveReplicas));
}

/**
 * Which held platforms to hand back when holding more than `share`: the surplus, taken from the
 * end of a per-replica order so that replicas release different platforms, and the ones a replica
 * prefers stay with it (fewer hand-overs as replicas come and go).
 */
export function surplus(held: string[], share: number, replica: string): string[] {
  if (held.length <= share) return [];
  return [...held].sort((a, b) => preference(replica, a) - preference(replica, b) || compareText(a, b)).slice(share);
}

/** A stable per-(replica, platform) rank (FNV-1a), lower is preferred: rendezvous hashing. */
export function preference(replica: string, platform: string): number {
  let h = 0x811c9dc5;
  for (const ch of `${replica}\u0000${platform}`) {
    h ^= ch.charCodeAt(0);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

/** A membership Lease counts while its holder renewed within its lease duration (judged on our clock). */
export function isLive(lease: { holderIdentity: string; renewTime: number; leaseDurationSeconds: number }, now: number): boolean {
  return lease.holderIdentity !== '' && lease.renewTime + lease.leaseDurationSeconds * 1000 > now;
}
