// The spec of one commit, read through the checkout jail, with that commit's .proto files copied
// into a snapshot of their own. The spec in force and its protos therefore always come from the
// same commit: when HEAD moves to a bad commit that also changes protos/, the last good spec keeps
// planning and probing against its own protos. The snapshot holds only regular files copied out
// of the jail, so nothing that reads it later (the probe's proto loader) can follow a link out.
import { randomUUID } from 'node:crypto';
import { mkdir, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join, posix } from 'node:path';
import type { Diagnostic } from '../platform-spec/diagnostics.js';
import { sortDiagnostics } from '../platform-spec/diagnostics.js';
import type { LoadResult } from '../platform-spec/load.js';
import { loadSpecTextIsolated } from '../platform-spec/load-isolated.js';
import { defaultProtosDir } from '../protos-dir.js';
import { isDirectoryInside, JailRefusal, listFilesInside, PROTO_LIMITS, readFileInside } from './checkout-jail.js';
import { MAX_SPEC_BYTES } from '../platform-spec/bounds.js';

export interface CheckoutSpecOptions {
  /** The checked-out tree (the jail). */
  treeDir: string;
  /** The spec, relative to the tree, e.g. specs/platform.yaml. */
  specRel: string;
  /** The commit, naming its protos snapshot. */
  commit: string;
  /** Where snapshots live, one directory per commit. */
  snapshotsDir: string;
  /** Commits whose snapshots must survive the clean-up (the spec in force). */
  keep?: string[];
}

function refusedDiagnostic(r: JailRefusal, severity: Diagnostic['severity'], code: string, summary: string): Diagnostic {
  return { severity, code, summary: `${summary}: ${r.relPath} ${r.reason}`, path: '', file: r.relPath, line: 1, column: 1 };
}

/** The nearest protos/ directory at or above the spec's directory, inside the tree. */
async function protosRelFor(treeDir: string, specRel: string): Promise<string | undefined> {
  let dir = posix.dirname(specRel);
  for (;;) {
    const candidate = dir === '.' ? 'protos' : `${dir}/protos`;
    if (await isDirectoryInside(treeDir, candidate)) return candidate;
    if (dir === '.' || dir === '') return undefined;
    dir = posix.dirname(dir);
  }
}

/** Copy the jailed .proto files of `protosRel` into `dest` (once per commit); list what was refused. */
async function snapshotProtos(treeDir: string, protosRel: string, dest: string): Promise<JailRefusal[]> {
  const listing = await listFilesInside(treeDir, protosRel, '.proto');
  const refused = [...listing.refused];
  if (await stat(dest).then(() => true, () => false)) return refused;
  // A staging directory of its own: two loads of one commit at once (platforms of a fleet) must not
  // delete or fill each other's copy; the first complete copy renamed into place wins.
  const staging = `${dest}.tmp-${process.pid}-${randomUUID()}`;
  await mkdir(staging, { recursive: true });
  let total = 0;
  for (const file of listing.files) {
    let text: string;
    try {
      text = await readFileInside(treeDir, file, PROTO_LIMITS.fileBytes);
    } catch (err) {
      if (err instanceof JailRefusal) { refused.push(err); continue; }
      throw err;
    }
    total += Buffer.byteLength(text);
    if (total > PROTO_LIMITS.totalBytes) {
      refused.push(new JailRefusal(file, `is past the limit of ${PROTO_LIMITS.totalBytes} bytes of .proto files`));
      break;
    }
    const target = join(staging, posix.relative(protosRel, file));
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, text);
  }
  try {
    await rename(staging, dest);
  } catch (err) {
    // Another load of this commit renamed its complete copy into place first: use that one.
    await rm(staging, { recursive: true, force: true });
    if (!(await stat(dest).then(() => true, () => false))) throw err;
  }
  return refused;
}

/** Remove snapshots of commits that are neither `current` nor kept. */
async function pruneSnapshots(snapshotsDir: string, keep: string[]): Promise<void> {
  const entries = await readdir(snapshotsDir).catch(() => [] as string[]);
  await Promise.all(entries.filter((e) => !keep.includes(e)).map((e) => rm(join(snapshotsDir, e), { recursive: true, force: true })));
}

/**
 * Load and validate the spec of a checked-out commit. Diagnostics name repository-relative paths
 * only; the returned protosDir is the commit's snapshot (or the protos shipped with platformd when
 * the repository has none).
 */
export async function loadCheckoutSpec(options: CheckoutSpecOptions): Promise<LoadResult> {
  const { treeDir, specRel, commit, snapshotsDir } = options;
  let text: string;
  try {
    text = await readFileInside(treeDir, specRel, MAX_SPEC_BYTES);
  } catch (err) {
    if (!(err instanceof JailRefusal)) throw err;
    return { ok: false, protosDir: defaultProtosDir(), diagnostics: [refusedDiagnostic(err, 'error', 'SPEC_READ', 'cannot read the spec')] };
  }
  const protosRel = await protosRelFor(treeDir, specRel);
  let protosDir = defaultProtosDir();
  let refused: JailRefusal[] = [];
  if (protosRel) {
    await mkdir(snapshotsDir, { recursive: true });
    protosDir = join(snapshotsDir, commit);
    refused = await snapshotProtos(treeDir, protosRel, protosDir);
    await pruneSnapshots(snapshotsDir, [commit, ...(options.keep ?? [])]);
  }
  const result = await loadSpecTextIsolated(text, specRel, { protosDir });
  const warnings = refused.map((r) => refusedDiagnostic(r, 'warning', 'SPEC_PROTO_REFUSED', 'a .proto entry was not read'));
  return { ...result, diagnostics: sortDiagnostics([...result.diagnostics, ...warnings]) };
}
