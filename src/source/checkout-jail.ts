// The checkout is a jail. Files in a git repository come from people who may be wrong or
// malicious, so the spec and the .proto files are read only as regular files whose real path lies
// inside the checkout. A symbolic link may point elsewhere inside the tree; one that leaves it, a
// device, a FIFO, a socket, a loop or a dangling link is refused by its repository-relative name,
// its target is never read, and no message names the target (a link to /proc/self/environ must
// not even say where it points). Every read is bounded in size and every walk in files and depth.
import { constants } from 'node:fs';
import { lstat, open, readdir, readlink, realpath, stat } from 'node:fs/promises';
import { isAbsolute, join, relative, sep } from 'node:path';

/** Bounds on the .proto tree: a file, all files together, how many, how deep. */
export const PROTO_LIMITS = { fileBytes: 1024 * 1024, totalBytes: 16 * 1024 * 1024, files: 1000, depth: 16 } as const;

/** A refusal to read something in the checkout; the message names only the relative path. */
export class JailRefusal extends Error {
  constructor(readonly relPath: string, readonly reason: string) {
    super(`${relPath}: ${reason}`);
    this.name = 'JailRefusal';
  }
}

/** Whether `real` (a resolved path) is `root` or lies under it. */
export function inside(root: string, real: string): boolean {
  const rel = relative(root, real);
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel));
}

function refusalFor(relPath: string, err: unknown): JailRefusal {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return new JailRefusal(relPath, 'does not exist (or is a dangling symbolic link)');
  if (code === 'ELOOP') return new JailRefusal(relPath, 'is a symbolic link loop');
  if (code === 'EACCES' || code === 'EPERM') return new JailRefusal(relPath, 'is not readable');
  if (code === 'ENOTDIR') return new JailRefusal(relPath, 'has a path component that is not a directory');
  return new JailRefusal(relPath, `cannot be read (${code ?? 'error'})`);
}

/** The real path of the checkout root; everything read must resolve under it. */
async function jailRoot(dir: string): Promise<string> {
  return realpath(dir);
}

/**
 * Read `relPath` under `root` as UTF-8 text: only a regular file whose real path is inside the
 * root, at most `maxBytes`. The file is opened non-blocking (a FIFO cannot stall the read) and
 * checked through its open descriptor, so a swap between check and read cannot escape the jail.
 */
export async function readFileInside(root: string, relPath: string, maxBytes: number): Promise<string> {
  const realRoot = await jailRoot(root);
  if (isAbsolute(relPath) || relPath.split(/[\\/]/).includes('..')) throw new JailRefusal(relPath, 'is not a path inside the repository');
  let handle;
  try {
    // Resolve first, without opening: a link leaving the jail is refused before its target is touched.
    const real = await realpath(join(realRoot, relPath));
    if (!inside(realRoot, real)) throw new JailRefusal(relPath, 'is a symbolic link that leaves the repository');
    handle = await open(real, constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOCTTY | constants.O_NOFOLLOW);
  } catch (err) {
    if (err instanceof JailRefusal) throw err;
    throw refusalFor(relPath, err);
  }
  try {
    const st = await handle.stat();
    if (!st.isFile()) throw new JailRefusal(relPath, 'is not a regular file');
    // The descriptor's own path (Linux): what was opened, whatever happened to the name since.
    const opened = await readlink(`/proc/self/fd/${handle.fd}`).catch(() => undefined);
    if (opened !== undefined && !inside(realRoot, opened)) throw new JailRefusal(relPath, 'is a symbolic link that leaves the repository');
    if (st.size > maxBytes) throw new JailRefusal(relPath, `is larger than ${maxBytes} bytes`);
    const buf = Buffer.alloc(maxBytes + 1);
    let length = 0;
    for (;;) {
      const { bytesRead } = await handle.read(buf, length, buf.length - length, length);
      if (bytesRead === 0) break;
      length += bytesRead;
      if (length > maxBytes) throw new JailRefusal(relPath, `is larger than ${maxBytes} bytes`);
    }
    return buf.subarray(0, length).toString('utf8');
  } finally {
    await handle.close();
  }
}

/** Whether `relPath` under `root` is a directory inside the jail (links followed only inside). */
export async function isDirectoryInside(root: string, relPath: string): Promise<boolean> {
  const realRoot = await jailRoot(root);
  try {
    const real = await realpath(join(realRoot, relPath));
    return inside(realRoot, real) && (await stat(real)).isDirectory();
  } catch {
    return false;
  }
}

export interface JailedListing {
  /** Paths relative to the root of regular files with the wanted extension, sorted. */
  files: string[];
  /** Entries passed over, each with its relative path and why. */
  refused: JailRefusal[];
}

/**
 * Every regular file ending in `extension` under `dirRel` (relative to `root`), walking links
 * only where they stay inside the root, each real directory once (a loop ends), within
 * PROTO_LIMITS' count and depth.
 */
export async function listFilesInside(root: string, dirRel: string, extension: string): Promise<JailedListing> {
  const realRoot = await jailRoot(root);
  const files: string[] = [];
  const refused: JailRefusal[] = [];
  const seenDirs = new Set<string>();
  const walk = async (rel: string, depth: number): Promise<void> => {
    if (depth > PROTO_LIMITS.depth) {
      refused.push(new JailRefusal(rel, `is nested deeper than ${PROTO_LIMITS.depth} directories`));
      return;
    }
    let real: string;
    try {
      real = await realpath(join(realRoot, rel));
    } catch (err) {
      refused.push(refusalFor(rel, err));
      return;
    }
    if (!inside(realRoot, real)) {
      refused.push(new JailRefusal(rel, 'is a symbolic link that leaves the repository'));
      return;
    }
    if (seenDirs.has(real)) return;
    seenDirs.add(real);
    let entries: string[];
    try {
      entries = (await readdir(real)).sort();
    } catch (err) {
      refused.push(refusalFor(rel, err));
      return;
    }
    for (const name of entries) {
      const childRel = rel === '' ? name : `${rel}/${name}`;
      let st;
      try {
        st = await lstat(join(real, name));
      } catch (err) {
        refused.push(refusalFor(childRel, err));
        continue;
      }
      let kind: 'dir' | 'file' | 'other' = st.isDirectory() ? 'dir' : st.isFile() ? 'file' : 'other';
      if (st.isSymbolicLink()) {
        try {
          const target = await realpath(join(real, name));
          if (!inside(realRoot, target)) {
            if (name.endsWith(extension) || !name.includes('.')) refused.push(new JailRefusal(childRel, 'is a symbolic link that leaves the repository'));
            continue;
          }
          const tst = await stat(target);
          kind = tst.isDirectory() ? 'dir' : tst.isFile() ? 'file' : 'other';
        } catch (err) {
          refused.push(refusalFor(childRel, err));
          continue;
        }
      }
      if (kind === 'dir') {
        await walk(childRel, depth + 1);
      } else if (name.endsWith(extension)) {
        if (kind !== 'file') {
          refused.push(new JailRefusal(childRel, 'is not a regular file'));
        } else if (files.length >= PROTO_LIMITS.files) {
          refused.push(new JailRefusal(childRel, `is past the limit of ${PROTO_LIMITS.files} files`));
          return;
        } else {
          files.push(childRel);
        }
      }
    }
  };
  await walk(dirRel, 0);
  return { files, refused };
}
