// The spec's source: a real git clone, fetched on demand; the working tree is checked out at the
// branch's head so the spec and its protos/ are read from the same commit.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { ErrorCodes, PlatformdError } from '../errors.js';
import { askpassEnv, redactUrls, splitCredentials, type GitCredentials } from './git-credentials.js';

const run = promisify(execFile);

export interface GitSourceOptions {
  /** A URL git understands, or a local path. */
  repo: string;
  branch: string;
  /** The spec inside the repository, e.g. specs/platform.yaml. */
  path: string;
  /** Where the clone lives. */
  workdir: string;
  /** Per git command (network fetches included; default 60 s). */
  timeoutMs?: number;
  /** Credentials for an https repository (else taken from a URL's user-info, if any). */
  credentials?: GitCredentials;
  /** Shutdown: kills a running git command (a hung clone must not keep the process alive). */
  signal?: AbortSignal;
}

export interface Revision {
  sha: string;
  /** The checked-out tree: the jail every file of the commit is read from. */
  treeDir: string;
  /** The spec, relative to the tree (as given by --path). */
  specRel: string;
  /** Where per-commit snapshots of protos/ are kept, beside the clone. */
  snapshotsDir: string;
}

/** A clone of the repository that follows one branch. Safe to call fetch() repeatedly. */
export class GitSource {
  private readonly dir: string;
  /** The repository without credentials: what git is given and what may be printed. */
  readonly url: string;
  private readonly credentials?: GitCredentials;
  private env?: Record<string, string>;
  constructor(readonly options: GitSourceOptions) {
    this.dir = resolve(options.workdir, 'checkout');
    const split = splitCredentials(options.repo);
    this.url = split.url;
    this.credentials = options.credentials ?? split.credentials;
  }

  private async gitEnv(): Promise<Record<string, string>> {
    if (!this.env) {
      const askpass = this.credentials ? await askpassEnv(join(this.options.workdir, 'askpass'), this.credentials) : {};
      this.env = { ...(process.env as Record<string, string>), GIT_TERMINAL_PROMPT: '0', ...askpass };
    }
    return this.env;
  }

  private async git(args: string[], cwd = this.dir): Promise<string> {
    try {
      const { stdout } = await run('git', args, { cwd, timeout: this.options.timeoutMs ?? 60_000, env: await this.gitEnv(), maxBuffer: 16 * 1024 * 1024, signal: this.options.signal });
      return stdout.trim();
    } catch (err) {
      const e = err as { stderr?: string; message: string; killed?: boolean };
      // Only git's own words, redacted: the error's message repeats the command line, and the
      // error itself is not kept as the cause, so no chain can carry a URL to a log or /status.
      const words = e.killed ? `timed out after ${(this.options.timeoutMs ?? 60_000) / 1000}s` : (e.stderr || 'failed').trim().split('\n').slice(-3).join(' ');
      throw new PlatformdError(ErrorCodes.SOURCE_GIT, `git ${args[0]} failed: ${redactUrls(words)}`);
    }
  }

  /** Clone on first use, then fetch the branch and check out its head. Returns the revision. */
  async fetch(): Promise<Revision> {
    if (!existsSync(join(this.dir, '.git'))) {
      // Only this user may read the clone, its snapshots and the askpass script.
      await mkdir(this.options.workdir, { recursive: true, mode: 0o700 });
      await this.git(['clone', '--quiet', '--no-checkout', '--branch', this.options.branch, this.url, this.dir], this.options.workdir);
    } else {
      await this.git(['fetch', '--quiet', '--prune', 'origin', `+refs/heads/${this.options.branch}:refs/remotes/origin/${this.options.branch}`]);
    }
    const sha = await this.git(['rev-parse', `refs/remotes/origin/${this.options.branch}`]);
    await this.git(['checkout', '--quiet', '--force', '--detach', sha]);
    return { sha, treeDir: this.dir, specRel: this.options.path, snapshotsDir: resolve(this.options.workdir, 'protos-by-commit') };
  }

  /** The directory of the checked-out tree (protos/ lives there). */
  get treeDir(): string {
    return this.dir;
  }
}
