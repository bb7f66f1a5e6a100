// platformd's own version: package.json's, read once (from src/ under tsx and from dist/ alike,
// both one level below it; the image copies package.json beside dist/).
import { readFileSync } from 'node:fs';

function readVersion(): string {
  try {
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version?: unknown };
    return typeof pkg.version === 'string' ? pkg.version : 'unknown';
  } catch {
    return 'unknown';
  }
}

/** The version this build reports in `platformd version`, /status and platformd_build_info. */
export const PLATFORMD_VERSION = readVersion();
