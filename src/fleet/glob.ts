// `--path` as a glob: `platforms/*/platform.yaml` names one platform per match. Only `*` and `?`
// within one path segment (no `**`, no braces): a fleet's layout is flat and explicit, and a
// pattern that cannot escape its segments cannot wander over the whole checkout.
import { readdir } from 'node:fs/promises';
import { join, posix } from 'node:path';

/** True when `path` holds a wildcard, i.e. names a fleet rather than one spec. */
export function isFleetPattern(path: string): boolean {
  return /[*?]/.test(path);
}

/** One pattern segment as an anchored regular expression; `*` and `?` never match a dot-file's dot. */
export function segmentMatcher(segment: string): RegExp {
  const body = segment.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*').replace(/\?/g, '[^/]');
  return new RegExp(`^(?!\\.)${body}$`);
}

/** Whether a relative posix path matches the pattern, segment by segment (pure). */
export function matchesPattern(pattern: string, path: string): boolean {
  const want = pattern.split('/');
  const have = path.split('/');
  return want.length === have.length && want.every((segment, i) => segmentMatcher(segment).test(have[i]!));
}

/**
 * The platform key of a matched spec path: the directory for `…/<dir>/platform.yaml`, else the
 * file's stem; lower-cased and reduced to a DNS label so it can name a Lease (`platformd-<key>`).
 */
export function platformKey(path: string): string {
  const base = posix.basename(path);
  const raw = /^platform\.ya?ml$/i.test(base) ? posix.basename(posix.dirname(path)) : base.replace(/\.ya?ml$/i, '');
  return raw.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 50) || 'platform';
}

/**
 * Every file under `root` matching the pattern, as sorted relative posix paths. Walks only the
 * directories the pattern's segments allow; never enters .git; follows no symbolic links (the
 * checkout jail reads the spec itself later).
 */
export async function expandPattern(root: string, pattern: string): Promise<string[]> {
  const segments = pattern.replace(/^\.\//, '').split('/').filter((s) => s !== '');
  const found: string[] = [];
  const walk = async (dirRel: string, depth: number): Promise<void> => {
    const segment = segments[depth]!;
    const last = depth === segments.length - 1;
    const entries = await readdir(join(root, dirRel), { withFileTypes: true }).catch(() => []);
    const matcher = segmentMatcher(segment);
    for (const entry of entries) {
      if (entry.name === '.git' || !matcher.test(entry.name)) continue;
      const rel = dirRel ? `${dirRel}/${entry.name}` : entry.name;
      if (last && entry.isFile()) found.push(rel);
      else if (!last && entry.isDirectory()) await walk(rel, depth + 1);
    }
  };
  if (segments.length > 0 && !segments.includes('..')) await walk('', 0);
  return found.sort();
}

/** Keys of the matched paths, with a duplicate key refused (two specs would share one Lease). */
export function keyedPlatforms(paths: string[]): { platforms: Map<string, string>; duplicates: string[] } {
  const platforms = new Map<string, string>();
  const duplicates: string[] = [];
  for (const path of paths) {
    const key = platformKey(path);
    if (platforms.has(key)) duplicates.push(`${path} (key ${key} is already ${platforms.get(key)})`);
    else platforms.set(key, path);
  }
  return { platforms, duplicates };
}
