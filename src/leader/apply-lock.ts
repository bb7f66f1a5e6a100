// `platformd apply` never runs beside another apply (or the daemon) on the same platform. With a
// cluster for locks it holds the platform's Lease, the same one `platformd run --leader-elect`
// campaigns for, renewed while it works and released at the end. Without one it holds a local
// lock file: created with O_EXCL holding its pid, stale when that pid is gone on this host.
import { createHash } from 'node:crypto';
import { hostname, tmpdir, userInfo } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { mkdirSync, openSync, closeSync, writeSync, readFileSync, renameSync, unlinkSync, linkSync } from 'node:fs';
import { LeaderElector } from './elector.js';
import { kubeLeaseStore, loadKubeConfig } from './lease-store.js';

export interface ApplyLock {
  /** What was locked, for the user ("Lease default/platformd-demo on https://…", "lock file …"). */
  readonly describe: string;
  /** Throws unless the lock is still ours (a Lease renewed within its deadline); none for a lock file. */
  fence?: () => void;
  /** Aborted if the Lease is lost while applying. */
  lost?: AbortSignal;
  release(): Promise<void>;
}

/** Someone else holds the lock: who and since when. */
export interface LockRefusal {
  refused: string;
}

export interface LockOptions {
  platform: string;
  specFile: string;
  /** Where the platform lives (lockTarget: region and endpoint); names the lock file. */
  target?: string;
  /** A kubeconfig for the lock cluster: lock with the platform's Lease. */
  kubeconfig?: string;
  namespace?: string;
  forceUnlock?: boolean;
}

const whoAmI = () => `apply:${safeUser()}@${hostname()}:${process.pid}`;

function safeUser(): string {
  try {
    return userInfo().username;
  } catch {
    return String(process.getuid?.() ?? 'unknown');
  }
}

/** Take the platform's lock, or say who holds it. */
export async function takeApplyLock(options: LockOptions): Promise<ApplyLock | LockRefusal> {
  return options.kubeconfig ? leaseLock(options, options.kubeconfig) : fileLock(options);
}

async function leaseLock(options: LockOptions, kubeconfig: string): Promise<ApplyLock | LockRefusal> {
  const store = kubeLeaseStore(loadKubeConfig(kubeconfig), options.namespace ?? 'default', `platformd-${options.platform}`);
  const lost = new AbortController();
  const elector = new LeaderElector({ store, identity: whoAmI(), onStoppedLeading: (why) => lost.abort(new Error(why)) });
  if (!(await elector.tryAcquireOrRenew(options.forceUnlock))) {
    const holder = elector.leader();
    return { refused: `the platform ${options.platform} is locked by ${holder?.holderIdentity ?? 'another holder'} since ${holder?.acquireTime ?? 'an unknown time'} (Lease ${store.describe}, renewed ${holder?.renewTime ?? '?'}); wait for it, or pass --force-unlock if it is gone` };
  }
  const renewing = new AbortController();
  const running = elector.run(renewing.signal);
  return {
    describe: `Lease ${store.describe}`,
    fence: () => elector.assertLeader(),
    lost: lost.signal,
    async release() {
      renewing.abort();
      await running; // releases the Lease
    },
  };
}

interface LockFileContent { pid: number; host: string; holder: string; since: string; spec: string }

/**
 * $XDG_RUNTIME_DIR/platformd/, else <tmp>/platformd-<uid>/, then <platform>-<target>.lock. A
 * platform is its name where it lives: `target` (region and AWS endpoint) is part of the name,
 * so one name applied to two accounts' emulators, or a test suite's parallel sandboxes, never
 * lock each other, while two applies of one platform on this machine always do. Never beside the
 * spec: a lock file must not land in the repository.
 */
export function lockFilePath(platform: string, target: string): string {
  const runtime = process.env.XDG_RUNTIME_DIR;
  const dir = runtime ? join(runtime, 'platformd') : join(tmpdir(), `platformd-${process.getuid?.() ?? 'user'}`);
  return join(dir, `${platform}-${createHash('sha256').update(target).digest('hex').slice(0, 12)}.lock`);
}

/** Where the platform's AWS side lives, for the lock's name. */
export function lockTarget(region: string, env: NodeJS.ProcessEnv = process.env): string {
  return `${region}|${env.AWS_ENDPOINT_URL ?? ''}`;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM'; // exists, owned by someone else
  }
}

function readLock(path: string): LockFileContent | undefined {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as LockFileContent;
  } catch {
    return undefined; // vanished, or half-written by a creator that has not finished
  }
}

function fileLock(options: LockOptions): ApplyLock | LockRefusal {
  const path = lockFilePath(options.platform, options.target ?? options.specFile);
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const mine: LockFileContent = { pid: process.pid, host: hostname(), holder: whoAmI(), since: new Date().toISOString(), spec: resolve(options.specFile) };
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = openSync(path, 'wx', 0o600); // O_CREAT | O_EXCL: exactly one creator wins
      writeSync(fd, JSON.stringify(mine));
      closeSync(fd);
      return {
        describe: `lock file ${path} (no lock cluster: set --lease-kubeconfig or PLATFORMD_LEASE_KUBECONFIG to lock across machines)`,
        async release() {
          if (readLock(path)?.pid === process.pid) unlinkSync(path);
        },
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    const held = readLock(path);
    if (!held) continue; // being written or just removed: look again
    const stale = held.host === hostname() && !alive(held.pid);
    if (!stale && !options.forceUnlock) {
      return { refused: `the platform ${options.platform} is locked by ${held.holder} (pid ${held.pid} on ${held.host}) since ${held.since}: lock file ${path}; wait for it, or pass --force-unlock if it is gone` };
    }
    // Move the stale lock aside atomically: of two processes seeing it, one rename succeeds; if what
    // was moved is not what we judged (a fresh lock replaced it meanwhile), put it back.
    const aside = `${path}.stale-${process.pid}`;
    try {
      renameSync(path, aside);
    } catch {
      continue;
    }
    const moved = readLock(aside);
    if (moved && moved.pid !== held.pid && !options.forceUnlock) {
      try {
        linkSync(aside, path);
      } catch { /* a newer lock is already there */ }
    }
    unlinkSync(aside);
  }
  return { refused: `could not take the lock file ${path}: it keeps changing; try again` };
}
