// The checkout jail: every hostile shape a repository (or a tree on disk) can hold is refused by
// its relative name, and no byte of what it points at comes back in a result or a message.
import t from 'tap';
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { JailRefusal, listFilesInside, readFileInside } from '../../../src/source/checkout-jail.js';
import { MAX_SPEC_BYTES } from '../../../src/platform-spec/bounds.js';
import { loadCheckoutSpec } from '../../../src/source/checkout-spec.js';

const SECRET = 'TOP-SECRET-MARKER-4711';

function hostileTree(): { root: string; outside: string; cleanup: () => void } {
  const base = mkdtempSync(join(tmpdir(), 'platformd-jail-'));
  const outside = join(base, 'outside');
  mkdirSync(outside);
  writeFileSync(join(outside, 'secret.txt'), `${SECRET}\n`);
  writeFileSync(join(outside, 'evil.proto'), `syntax = "proto3"; package ${SECRET.replace(/-/g, '_')}; service Leak { rpc X (M) returns (M); } message M {}`);
  const root = join(base, 'repo');
  cpSync('specs', join(root, 'specs'), { recursive: true });
  cpSync('protos', join(root, 'protos'), { recursive: true });
  return { root, outside, cleanup: () => rmSync(base, { recursive: true, force: true }) };
}

const shapes: { reason: string; make: (root: string, outside: string, name: string) => void; refusal: RegExp }[] = [
  { reason: 'a symbolic link to a file outside the checkout', make: (r, o, n) => symlinkSync(join(o, 'secret.txt'), join(r, n)), refusal: /leaves the repository/ },
  { reason: 'a relative symbolic link climbing out of the checkout', make: (r, _o, n) => symlinkSync('../../outside/secret.txt', join(r, n)), refusal: /leaves the repository/ },
  { reason: 'a symbolic link to /proc/self/environ', make: (r, _o, n) => symlinkSync('/proc/self/environ', join(r, n)), refusal: /leaves the repository/ },
  { reason: 'a symbolic link to a device', make: (r, _o, n) => symlinkSync('/dev/zero', join(r, n)), refusal: /leaves the repository/ },
  { reason: 'a symbolic link loop', make: (r, _o, n) => { const base = n.split('/').pop()!; symlinkSync(`${base}.b`, join(r, n)); symlinkSync(base, join(r, `${n}.b`)); }, refusal: /loop/ },
  { reason: 'a dangling symbolic link', make: (r, _o, n) => symlinkSync('does-not-exist.yaml', join(r, n)), refusal: /does not exist/ },
  { reason: 'a FIFO (would block a plain read forever)', make: (r, _o, n) => execFileSync('mkfifo', [join(r, n)]), refusal: /not a regular file/ },
  { reason: 'a directory where a file is expected', make: (r, _o, n) => mkdirSync(join(r, n)), refusal: /not a regular file/ },
];

for (const shape of shapes) {
  t.test(`the spec as ${shape.reason} is refused without reading it`, async (t) => {
    const { root, outside, cleanup } = hostileTree();
    t.teardown(cleanup);
    rmSync(join(root, 'specs/platform.yaml'));
    shape.make(root, outside, 'specs/platform.yaml');
    const err = await readFileInside(root, 'specs/platform.yaml', MAX_SPEC_BYTES).then(() => undefined, (e: unknown) => e);
    t.ok(err instanceof JailRefusal, 'refused');
    t.match((err as Error).message, shape.refusal);
    t.match((err as Error).message, /^specs\/platform\.yaml: /, 'named by its repository-relative path');
    t.notMatch((err as Error).message, /outside|proc|dev\/zero|environ/, 'the target is not named');
    const loaded = await loadCheckoutSpec({ treeDir: root, specRel: 'specs/platform.yaml', commit: 'c1', snapshotsDir: join(root, '..', 'snap') });
    t.equal(loaded.ok, false);
    t.notMatch(JSON.stringify(loaded), SECRET, 'no byte of the target in the result');
    t.notMatch(JSON.stringify(loaded), root, 'no host path in the diagnostics');
    t.match(loaded.diagnostics[0], { code: 'SPEC_READ', file: 'specs/platform.yaml' });
  });
}

t.test('paths that climb out are refused before any lookup', async (t) => {
  const { root, cleanup } = hostileTree();
  t.teardown(cleanup);
  for (const rel of ['../outside/secret.txt', '/etc/passwd', 'specs/../../outside/secret.txt']) {
    await t.rejects(readFileInside(root, rel, MAX_SPEC_BYTES), /not a path inside the repository/, rel);
  }
});

t.test('a link that stays inside the checkout is followed', async (t) => {
  const { root, cleanup } = hostileTree();
  t.teardown(cleanup);
  symlinkSync('platform.yaml', join(root, 'specs/current.yaml'));
  t.match(await readFileInside(root, 'specs/current.yaml', MAX_SPEC_BYTES), /metadata:/);
});

t.test('a spec over the size cap is refused', async (t) => {
  const { root, cleanup } = hostileTree();
  t.teardown(cleanup);
  writeFileSync(join(root, 'specs/big.yaml'), 'a'.repeat(MAX_SPEC_BYTES + 1));
  await t.rejects(readFileInside(root, 'specs/big.yaml', MAX_SPEC_BYTES), /larger than/);
});

t.test('hostile entries under protos/ are passed over, named, and never copied into the snapshot', async (t) => {
  const { root, outside, cleanup } = hostileTree();
  t.teardown(cleanup);
  shapes[0]!.make(root, outside, 'protos/leak.proto');
  symlinkSync(join(outside), join(root, 'protos/outside-dir'));
  symlinkSync('.', join(root, 'protos/self-loop'));
  symlinkSync('nowhere.proto', join(root, 'protos/dangling.proto'));
  execFileSync('mkfifo', [join(root, 'protos/fifo.proto')]);
  const listing = await listFilesInside(root, 'protos', '.proto');
  t.ok(listing.files.includes('protos/routeguide/route_guide.proto'), 'ordinary protos are listed');
  t.notOk(listing.files.some((f) => /leak|outside|dangling|fifo/.test(f)), 'no hostile entry is listed');
  const refusedNames = listing.refused.map((r) => r.relPath).sort();
  t.same(refusedNames, ['protos/dangling.proto', 'protos/fifo.proto', 'protos/leak.proto', 'protos/outside-dir'].sort());

  const snapshotsDir = join(root, '..', 'snap');
  const loaded = await loadCheckoutSpec({ treeDir: root, specRel: 'specs/platform.yaml', commit: 'c1', snapshotsDir });
  t.equal(loaded.ok, true, 'the spec still loads: its services are in ordinary protos');
  t.notMatch(JSON.stringify(loaded), SECRET);
  t.notMatch(JSON.stringify(loaded), outside);
  t.ok(loaded.diagnostics.some((d) => d.severity === 'warning' && d.file === 'protos/leak.proto'), 'the refused proto is reported as a warning');
  const copied = execFileSync('find', [join(snapshotsDir, 'c1'), '-not', '-type', 'f', '-not', '-type', 'd']).toString();
  t.equal(copied, '', 'the snapshot holds only plain files and directories');
  const everything = execFileSync('find', [join(snapshotsDir, 'c1'), '-type', 'f', '-exec', 'cat', '{}', '+']).toString();
  t.notMatch(everything, SECRET.replace(/-/g, '_'), 'no byte of the linked proto was copied');
});

t.test('the snapshot of a commit survives the checkout moving on; older ones are pruned', async (t) => {
  const { root, cleanup } = hostileTree();
  t.teardown(cleanup);
  const snapshotsDir = join(root, '..', 'snap');
  const first = await loadCheckoutSpec({ treeDir: root, specRel: 'specs/platform.yaml', commit: 'c1', snapshotsDir });
  t.equal(first.ok, true);
  rmSync(join(root, 'protos/routeguide'), { recursive: true });
  const second = await loadCheckoutSpec({ treeDir: root, specRel: 'specs/platform.yaml', commit: 'c2', snapshotsDir, keep: ['c1'] });
  t.equal(second.ok, false, 'HEAD lost a proto its spec needs');
  t.ok(readdirSync(join(snapshotsDir, 'c1', 'routeguide')).length > 0, 'the last good commit keeps its protos');
  await loadCheckoutSpec({ treeDir: root, specRel: 'specs/platform.yaml', commit: 'c3', snapshotsDir, keep: ['c1'] });
  t.same(readdirSync(snapshotsDir).sort(), ['c1', 'c3'], 'c2 pruned');
});

t.test('loads of one commit at once (a fleet\'s platforms) each get the complete snapshot', async (t) => {
  const { root, cleanup } = hostileTree();
  t.teardown(cleanup);
  const snapshotsDir = join(root, '..', 'snap-concurrent');
  // Before, every load used the same staging directory: one load's clean-up deleted files another
  // had copied, and an incomplete copy could be renamed into place ("no service … is declared").
  const loads = await Promise.all(Array.from({ length: 8 }, () => loadCheckoutSpec({ treeDir: root, specRel: 'specs/platform.yaml', commit: 'c1', snapshotsDir })));
  t.ok(loads.every((l) => l.ok), `every load succeeds: ${JSON.stringify(loads.flatMap((l) => l.diagnostics.filter((d) => d.severity === 'error')).slice(0, 2))}`);
  t.same(readdirSync(snapshotsDir), ['c1'], 'one snapshot, no staging left behind');
  t.ok(readdirSync(join(snapshotsDir, 'c1', 'routeguide')).length > 0, 'with the protos');
});
