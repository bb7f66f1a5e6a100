import t from 'tap';
import { convergeUpdate, MAX_UPDATE_ROUNDS, type UpdateRound } from '../../../src/apply/converge-update.js';
import type { DiffResult, Observed } from '../../../src/resources/kind.js';
import { isPlatformdError, ErrorCodes } from '../../../src/errors.js';

interface ClusterLike { version: string; publicAccess: boolean }
const desired: ClusterLike = { version: '1.31', publicAccess: false };

function observed(state: ClusterLike, status = 'ACTIVE'): Observed {
  return { id: 'eks/cluster', kind: 'test/cluster', physicalId: 'demo', owned: true, status, state: { ...state }, outputs: { version: state.version } };
}

function diff(live: Observed): DiffResult {
  const s = live.state as unknown as ClusterLike;
  const fields = [];
  if (s.version !== desired.version) fields.push({ path: 'version', old: s.version, new: desired.version });
  if (s.publicAccess !== desired.publicAccess) fields.push({ path: 'publicAccess', old: s.publicAccess, new: desired.publicAccess });
  return { fields, replaces: [] };
}

/** Like EKS: one update at a time, refused unless ACTIVE; the version step first. */
function eksLikeRound(calls: string[]): UpdateRound {
  return {
    diff,
    async update(live, changes) {
      if (live.status !== 'ACTIVE') throw new Error('ResourceInUseException: update in progress');
      const s = live.state as unknown as ClusterLike;
      const step = changes.fields[0]!.path;
      calls.push(step);
      const next = step === 'version' ? { ...s, version: desired.version } : { ...s, publicAccess: desired.publicAccess };
      return observed(next, 'UPDATING');
    },
    async settle(updated) {
      calls.push('ready');
      return { ...updated, status: 'ACTIVE' };
    },
  };
}

t.test('an update that needs two steps takes two rounds, each after ready()', async (t) => {
  const calls: string[] = [];
  const result = await convergeUpdate('eks/cluster', observed({ version: '1.30', publicAccess: true }), eksLikeRound(calls));
  t.same(calls, ['version', 'ready', 'publicAccess', 'ready'], 'version first, then the config step once ACTIVE again');
  t.same(result.state, desired, 'the last observation matches the desired state');
  t.equal(result.status, 'ACTIVE');
});

t.test('a one-step update takes one round', async (t) => {
  const calls: string[] = [];
  await convergeUpdate('eks/cluster', observed({ version: '1.31', publicAccess: true }), eksLikeRound(calls));
  t.same(calls, ['publicAccess', 'ready']);
});

t.test('an update that never converges ends with an error naming what still differs', async (t) => {
  let updates = 0;
  const stuck: UpdateRound = {
    diff,
    async update(live) {
      updates++;
      return live; // accepted, but nothing changes
    },
    async settle(updated) {
      return updated;
    },
  };
  const failure = await convergeUpdate('eks/cluster', observed({ version: '1.30', publicAccess: false }), stuck).catch((err: unknown) => err);
  t.ok(isPlatformdError(failure, ErrorCodes.APPLY_FAILED), 'a PLATFORMD_APPLY_FAILED error');
  t.match((failure as Error).message, /update eks\/cluster did not converge: version still differs after 10 update rounds/);
  t.equal(updates, MAX_UPDATE_ROUNDS, 'bounded: exactly MAX_UPDATE_ROUNDS update calls');
});

t.test('a failed update ends the convergence at once', async (t) => {
  const failing: UpdateRound = {
    diff,
    update: async () => { throw new Error('InvalidParameterException: unsupported version'); },
    settle: async (updated) => updated,
  };
  await t.rejects(convergeUpdate('eks/cluster', observed({ version: '1.30', publicAccess: false }), failing), /unsupported version/);
});
