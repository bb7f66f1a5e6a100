// Repository credentials never travel in a URL that is stored, printed or passed as an argument.
// A URL given with user:password@ is split: git gets the bare URL (so .git/config under the work
// directory holds no secret, and git's argv in `ps` neither) and asks for the password through
// GIT_ASKPASS, a script that echoes environment variables set only in git's own environment.
// Credentials may also come from PLATFORMD_GIT_USERNAME with PLATFORMD_GIT_PASSWORD or
// PLATFORMD_GIT_PASSWORD_FILE. Every URL printed anywhere goes through redactUrls first.
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export interface GitCredentials {
  username: string;
  password: string;
}

/** Replace the user-info part of every URL in `text` (`https://u:p@host` → `https://***@host`). */
export function redactUrls(text: string): string {
  return text.replace(/([a-z][a-z0-9+.-]*:\/\/)[^@/\s]+@/gi, '$1***@');
}

/** The URL without user-info, and the credentials it carried (percent-decoded), if any. */
export function splitCredentials(repo: string): { url: string; credentials?: GitCredentials } {
  let parsed: URL;
  try {
    parsed = new URL(repo);
  } catch {
    return { url: repo }; // a local path or scp-like ssh address: nothing to split
  }
  if (!parsed.username && !parsed.password) return { url: repo };
  const credentials = { username: decodeURIComponent(parsed.username), password: decodeURIComponent(parsed.password) };
  parsed.username = '';
  parsed.password = '';
  return { url: parsed.toString(), credentials };
}

/** Credentials from the environment (a file wins over a variable for the password), if set. */
export async function credentialsFromEnv(env: NodeJS.ProcessEnv = process.env): Promise<GitCredentials | undefined> {
  const file = env.PLATFORMD_GIT_PASSWORD_FILE;
  const password = file ? (await readFile(file, 'utf8')).trim() : env.PLATFORMD_GIT_PASSWORD;
  if (!password) return undefined;
  return { username: env.PLATFORMD_GIT_USERNAME ?? 'git', password };
}

/**
 * Write the askpass script (mode 0700, in a 0700 directory) and return the environment git needs
 * to use it. The script holds no secret: it prints variables of git's environment.
 */
export async function askpassEnv(dir: string, credentials: GitCredentials): Promise<Record<string, string>> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const script = join(dir, 'askpass.sh');
  await writeFile(script, '#!/bin/sh\ncase "$1" in\n  Username*) printf \'%s\\n\' "$PLATFORMD_GIT_USERNAME" ;;\n  *) printf \'%s\\n\' "$PLATFORMD_GIT_PASSWORD" ;;\nesac\n', { mode: 0o700 });
  await chmod(script, 0o700);
  return { GIT_ASKPASS: script, PLATFORMD_GIT_USERNAME: credentials.username, PLATFORMD_GIT_PASSWORD: credentials.password };
}
