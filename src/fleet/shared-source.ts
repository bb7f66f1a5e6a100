// One git clone serves every platform of the fleet. Each platform's Daemon polls on its own timer;
// fetches that overlap or follow each other closely share one `git fetch`, so N platforms cost
// one fetch per poll interval, not N. Every new commit is announced, so the fleet re-expands its
// glob on each fetched commit.
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import type { Revision } from '../source/git.js';

export interface SharedSourceOptions {
  /** The real fetch (GitSource.fetch). */
  fetch(): Promise<Revision>;
  /** A fetch younger than this is reused instead of fetching again (default 1 s). */
  reuseForMs?: number;
  /** Called once per fetched commit that differs from the previous one. */
  onCommit?(revision: Revision): Promise<void> | void;
  now?: () => number;
}

export class SharedSource {
  private inFlight?: Promise<Revision>;
  private last?: { revision: Revision; at: number };
  /** The announcements of new commits, in order (onCommit handles its own errors). */
  private announced: Promise<void> = Promise.resolve();

  constructor(private readonly options: SharedSourceOptions) {}

  /** The newest revision: from a fetch in flight, a recent one, or a new fetch. */
  fetch(): Promise<Revision> {
    const now = (this.options.now ?? Date.now)();
    if (this.inFlight) return this.inFlight;
    if (this.last && now - this.last.at < (this.options.reuseForMs ?? 1_000)) return Promise.resolve(this.last.revision);
    const fetching = (async () => {
      const revision = await this.options.fetch();
      const moved = revision.sha !== this.last?.revision.sha;
      this.last = { revision, at: (this.options.now ?? Date.now)() };
      // NOTE(deadlock): announced apart from this fetch, one commit after the other. A platform's
      // Daemon may be awaiting this very fetch while the announcement stops that Daemon (its spec
      // left the glob); awaiting the announcement here would make each wait for the other.
      if (moved && this.options.onCommit) {
        const announce = this.options.onCommit;
        this.announced = this.announced.then(() => announce(revision)).catch(() => undefined);
      }
      return revision;
    })();
    this.inFlight = fetching;
    const clear = () => { if (this.inFlight === fetching) this.inFlight = undefined; };
    fetching.then(clear, clear);
    return fetching;
  }

  /** Resolves once every commit fetched so far has been announced. */
  settled(): Promise<void> {
    return this.announced;
  }

  /**
   * The source one platform's Daemon reads: the shared revision, with that platform's spec path
   * and its own protos snapshots. Each Daemon prunes the snapshots its spec in force does not use;
   * in one shared directory it would delete the snapshot another platform's spec in force uses.
   */
  forPlatform(specRel: string): { fetch(): Promise<Revision> } {
    const own = `platform-${createHash('sha256').update(specRel).digest('hex').slice(0, 16)}`;
    return { fetch: async () => {
      const revision = await this.fetch();
      return { ...revision, specRel, snapshotsDir: join(revision.snapshotsDir, own) };
    } };
  }
}
