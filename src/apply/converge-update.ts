// Multi-step updates, driven by the engine: a kind's update() does the first step the live state
// allows and returns (EKS refuses a config update while a version update runs). Here the engine
// waits for ready(), diffs again and calls update() again until nothing differs — the kinds
// themselves never wait (issue 12; Crossplane's external clients are never blocking either).
import { ErrorCodes, PlatformdError } from '../errors.js';
import type { DiffResult, Observed } from '../resources/kind.js';

/** Enough for EKS's longest chain (version, endpoint access, upgrade policy, authentication mode). */
export const MAX_UPDATE_ROUNDS = 10;

/** One resource's update, bound to its desired properties by the caller. */
export interface UpdateRound {
  /** Pure: what still differs between the desired properties and this observation. */
  diff(live: Observed): DiffResult;
  /** One call of the kind's update() (retries and fencing are the caller's). */
  update(live: Observed, changes: DiffResult): Promise<Observed>;
  /** Wait until ready() holds again; returns the last observation. */
  settle(updated: Observed): Promise<Observed>;
}

/**
 * Update `live` until its diff is empty: update, wait for ready, diff again — at least one round,
 * at most `maxRounds`; past that a PLATFORMD_APPLY_FAILED error names what still differs.
 * Returns the last observation (its outputs feed dependents).
 */
export async function convergeUpdate(id: string, live: Observed, round: UpdateRound, maxRounds = MAX_UPDATE_ROUNDS): Promise<Observed> {
  let current = live;
  let changes = round.diff(current);
  for (let n = 0; n < maxRounds; n++) {
    current = await round.settle(await round.update(current, changes));
    changes = round.diff(current);
    if (changes.fields.length === 0) return current;
  }
  const paths = changes.fields.map((f) => f.path).join(', ');
  throw new PlatformdError(ErrorCodes.APPLY_FAILED, `update ${id} did not converge: ${paths} still differ${changes.fields.length === 1 ? 's' : ''} after ${maxRounds} update rounds`);
}
