// Bounds on spec input, checked before and after parsing. A spec comes from a commit or a POST
// body written by anyone; parsing and validating it must take bounded time and memory and answer
// with a bounded list of problems (the YAML parser takes ~10 s and 1 GB on 1 MiB of "[", and ajv
// with allErrors reports one error per bad item, each located in the document).
import type { Diagnostic } from './diagnostics.js';

/** The largest spec accepted, from a file, a commit or a request body. */
export const MAX_SPEC_BYTES = 1024 * 1024;
/** Flow collections ([…] and {…}) nested deeper than this are refused before parsing. */
export const MAX_FLOW_DEPTH = 32;
/** Diagnostics reported per spec; the rest are counted in one closing line. */
export const MAX_DIAGNOSTICS = 50;

function at(text: string, index: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < index; i = text.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, column: index - lineStart + 1 };
}

/**
 * Checks that need no parse: size and flow-collection depth. The depth scan skips quoted
 * scalars and comments; brackets inside plain scalars count, which only matters for specs that
 * nest 32 brackets inside one value (none do).
 */
export function preParseChecks(text: string, file: string): Diagnostic[] {
  const bytes = Buffer.byteLength(text);
  if (bytes > MAX_SPEC_BYTES) {
    return [{ severity: 'error', code: 'SPEC_TOO_LARGE', summary: `the spec is ${bytes} bytes; at most ${MAX_SPEC_BYTES} are accepted`, path: '', file, line: 1, column: 1 }];
  }
  let depth = 0;
  let quote: string | undefined;
  let comment = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '\n') { comment = false; continue; }
    if (comment) continue;
    if (quote) {
      if (c === '\\' && quote === '"') i++;
      else if (c === quote) quote = undefined;
      continue;
    }
    if (c === '#' && (i === 0 || /\s/.test(text[i - 1]!))) comment = true;
    else if (c === '"' || c === "'") quote = c;
    else if (c === '[' || c === '{') {
      if (++depth > MAX_FLOW_DEPTH) {
        return [{ severity: 'error', code: 'SPEC_TOO_DEEP', summary: `collections nested more than ${MAX_FLOW_DEPTH} deep`, path: '', file, ...at(text, i) }];
      }
    } else if ((c === ']' || c === '}') && depth > 0) depth--;
  }
  return [];
}

/**
 * The first MAX_DIAGNOSTICS diagnostics (sorted input), then one line counting the rest,
 * including `hidden` ones that were counted but never built.
 */
export function capDiagnostics(list: Diagnostic[], hidden = 0, max = MAX_DIAGNOSTICS): Diagnostic[] {
  const more = Math.max(0, list.length - max) + hidden;
  if (more === 0) return list;
  const kept = list.slice(0, max);
  const last = kept[kept.length - 1]!;
  return [...kept, { severity: 'error', code: 'SPEC_MORE', summary: `and ${more} more problems not shown`, path: '', file: last.file, line: last.line, column: last.column }];
}
