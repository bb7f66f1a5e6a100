// A LeaseStore whose acquisitions need admission: the fleet lets an elector take a platform's
// Lease only while this replica holds fewer than its fair share. Renewals and releases always
// pass. A refused acquisition looks to the elector like losing a race (LeaseConflictError), so it
// simply tries again next retry period.
import { LeaseConflictError, type LeaseStore } from '../leader/lease-store.js';

/** `admit` returns the admission's release, or undefined to refuse. */
export function gatedLeaseStore(store: LeaseStore, identity: string, admit: () => (() => void) | undefined): LeaseStore {
  let lastHolder: string | undefined;
  const admitted = async <T>(write: () => Promise<T>): Promise<T> => {
    const release = admit();
    if (!release) throw new LeaseConflictError(`${store.describe}: not taken, this replica holds its fair share of platforms`);
    try {
      const written = await write();
      // Held past the elector's own continuation (which marks the platform led), so two
      // acquisitions finishing together cannot both slip under the share.
      setImmediate(release);
      return written;
    } catch (err) {
      release();
      throw err;
    }
  };
  return {
    describe: store.describe,
    async get() {
      const got = await store.get();
      lastHolder = got?.record.holderIdentity;
      return got;
    },
    create: (record) => admitted(() => store.create(record)),
    update(record, resourceVersion) {
      const acquiring = record.holderIdentity === identity && lastHolder !== identity;
      return acquiring ? admitted(() => store.update(record, resourceVersion)) : store.update(record, resourceVersion);
    },
  };
}
