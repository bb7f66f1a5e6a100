// --path as a glob: what counts as a fleet, segment-by-segment matching, platform keys that can
// name a Lease, expansion over a real directory tree (dot entries and .git never entered).
import t from 'tap';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expandPattern, isFleetPattern, keyedPlatforms, matchesPattern, platformKey } from '../../../src/fleet/glob.js';

t.test('a wildcard makes a fleet; a plain path stays one platform', async (t) => {
  t.ok(isFleetPattern('platforms/*/platform.yaml'));
  t.ok(isFleetPattern('specs/team-?.yaml'));
  t.notOk(isFleetPattern('specs/platform.yaml'), 'a plain path is a fleet of one, run as before');
});

t.test('matching is per segment', async (t) => {
  const cases = [
    { pattern: 'platforms/*/platform.yaml', path: 'platforms/a/platform.yaml', want: true, reason: 'one directory level matches *' },
    { pattern: 'platforms/*/platform.yaml', path: 'platforms/a/b/platform.yaml', want: false, reason: '* never crosses a slash' },
    { pattern: 'platforms/*/platform.yaml', path: 'platforms/.hidden/platform.yaml', want: false, reason: 'a wildcard does not match a dot entry' },
    { pattern: 'specs/*.yaml', path: 'specs/web.yaml', want: true, reason: 'a wildcard inside a file name' },
    { pattern: 'specs/?.yaml', path: 'specs/ab.yaml', want: false, reason: '? is exactly one character' },
    { pattern: 'specs/a+b.yaml', path: 'specs/aab.yaml', want: false, reason: 'regular-expression characters are literal' },
  ];
  for (const c of cases) t.equal(matchesPattern(c.pattern, c.path), c.want, c.reason);
});

t.test('platform keys', async (t) => {
  t.equal(platformKey('platforms/Team_A/platform.yaml'), 'team-a', 'the directory of platform.yaml, as a DNS label');
  t.equal(platformKey('specs/payments.yml'), 'payments', 'else the file stem');
  const { platforms, duplicates } = keyedPlatforms(['a/x/platform.yaml', 'b/x/platform.yaml', 'a/y/platform.yaml']);
  t.same([...platforms.keys()], ['x', 'y']);
  t.match(duplicates, [/b\/x\/platform.yaml \(key x is already a\/x\/platform.yaml\)/], 'two specs with one key: the second is refused, not merged');
});

t.test('expansion over a checkout', async (t) => {
  const root = mkdtempSync(join(tmpdir(), 'platformd-glob-'));
  for (const dir of ['platforms/b', 'platforms/a', 'platforms/empty', 'platforms/.git', '.git/platforms/z']) mkdirSync(join(root, dir), { recursive: true });
  for (const file of ['platforms/a/platform.yaml', 'platforms/b/platform.yaml', 'platforms/.git/platform.yaml', '.git/platforms/z/platform.yaml']) writeFileSync(join(root, file), 'x');
  mkdirSync(join(root, 'platforms/c/platform.yaml'), { recursive: true }); // a directory is not a spec
  t.same(await expandPattern(root, 'platforms/*/platform.yaml'), ['platforms/a/platform.yaml', 'platforms/b/platform.yaml'], 'sorted files only; .git and dot entries skipped');
  t.same(await expandPattern(root, 'missing/*/platform.yaml'), [], 'no match is an empty fleet, not an error');
  t.same(await expandPattern(root, '../*/platform.yaml'), [], 'a pattern never climbs out of the checkout');
});
