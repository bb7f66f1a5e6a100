// Issue 12: kinds never wait, sleep or decide retries, and resources/ imports neither plan/ nor
// apply/. eslint.config.js forbids the imports and timers as well; this reads the files
// themselves, so a rule switched off for a line still fails here.
import t from 'tap';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

const ROOT = join(import.meta.dirname, '../../../src/resources');

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return sources(path);
    return e.name.endsWith('.ts') ? [path] : [];
  });
}

const files = sources(ROOT);
const forbidden: { reason: string; pattern: RegExp }[] = [
  { reason: 'no timer', pattern: /\bsetTimeout\(|\bsetInterval\(/ },
  { reason: 'no sleep', pattern: /\bsleep\(/ },
  { reason: 'no wait loop', pattern: /\bwaitUntil\(/ },
  { reason: 'no retry decided by the kind', pattern: /\bretryable\b/ },
  { reason: 'no import of plan/ or apply/', pattern: /from '(\.\.\/)+(plan|apply)\// },
];

t.ok(files.length > 30, `reads the kinds (${files.length} files)`);
for (const { reason, pattern } of forbidden) {
  const offenders = files.filter((f) => pattern.test(readFileSync(f, 'utf8'))).map((f) => relative(ROOT, f));
  t.same(offenders, [], `src/resources: ${reason}`);
}
