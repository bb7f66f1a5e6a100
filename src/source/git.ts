// The spec's source: a real git clone, fetched on demand; the working tree is checked out at the
// branch's head so the spec and its protos/ are read from the same commit.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { ErrorCodes, PlatformdError } from '../errors.js';

const run = promisify(execFile);

export interface GitSourceOptions {
  /** A URL git understands, or a local path. */
  repo: string;
  branch: string;
  /** The spec inside the repository, e.g. specs/platform.yaml. */
  path: string;
  /** Where the clone lives. */
  workdir: string;
  /** Per git command (network fetches included). */
  timeoutMs?: number;
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
  constructor(readonly options: GitSourceOptions) {
    this.dir = resolve(options.workdir, 'checkout');
  }

  private async git(args: string[], cwd = this.dir): Promise<string> {
    try {
      const { stdout } = await run('git', args, { cwd, timeout: this.options.timeoutMs ?? 60_000, env: { ...process.env, GIT_TERMINAL_PROMPT: '0' }, maxBuffer: 16 * 1024 * 1024 });
      return stdout.trim();
    } catch (err) {
      const e = err as { stderr?: string; message: string };
      // Never echo credentials that may be embedded in a URL.
      const detail = (e.stderr || e.message).replace(/\/\/[^@/\s]+@/g, '//***@').trim().split('\n').slice(-3).join(' ');
      throw new PlatformdError(ErrorCodes.SOURCE_GIT, `git ${args[0]} failed: ${detail}`, { cause: err });
    }
  }

  /** Clone on first use, then fetch the branch and check out its head. Returns the revision. */
  async fetch(): Promise<Revision> {
    if (!existsSync(join(this.dir, '.git'))) {
      await mkdir(this.options.workdir, { recursive: true });
      await this.git(['clone', '--quiet', '--no-checkout', '--branch', this.options.branch, this.options.repo, this.dir], this.options.workdir);
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
