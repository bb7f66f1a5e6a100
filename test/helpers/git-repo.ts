// A real git repository in a temp dir holding specs/ and protos/, with helpers to commit changes.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TestRepo {
  dir: string;
  /** Rewrite specs/platform.yaml with `edit` and commit; returns the new sha. */
  commitSpec(edit: (text: string) => string, message: string): string;
  /** Change anything in the working tree with `change(dir)`, commit it all; returns the new sha. */
  commit(change: (dir: string) => void, message: string): string;
  /** Put `path` back as it was in the first commit (in the working tree, not committed). */
  restore(path: string): void;
  head(): string;
  remove(): void;
}

export function createTestRepo(): TestRepo {
  const dir = mkdtempSync(join(tmpdir(), 'platformd-repo-'));
  cpSync('specs', join(dir, 'specs'), { recursive: true });
  cpSync('protos', join(dir, 'protos'), { recursive: true });
  const git = (...args: string[]) => execFileSync('git', args, { cwd: dir, encoding: 'utf8', env: { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@example.com', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@example.com' } }).trim();
  git('init', '-q', '-b', 'main');
  git('add', '-A');
  git('commit', '-qm', 'initial platform');
  const initial = git('rev-parse', 'HEAD');
  return {
    dir,
    commitSpec(edit, message) {
      const file = join(dir, 'specs', 'platform.yaml');
      writeFileSync(file, edit(readFileSync(file, 'utf8')));
      git('commit', '-qam', message);
      return git('rev-parse', 'HEAD');
    },
    commit(change, message) {
      change(dir);
      git('add', '-A');
      git('commit', '-qm', message);
      return git('rev-parse', 'HEAD');
    },
    restore: (path) => git('checkout', initial, '--', path),
    head: () => git('rev-parse', 'HEAD'),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
