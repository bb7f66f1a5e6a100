// platform.yaml → a validated, typed spec, or every problem at once with file:line:column.
// Nothing here talks to AWS: an invalid spec never reaches the engine.
import { existsSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { LineCounter, parseDocument } from 'yaml';
import { sortDiagnostics, type Diagnostic } from './diagnostics.js';
import { positionOf } from './positions.js';
import { semanticChecks } from './semantic.js';
import { awsLimitChecks } from './aws-limits.js';
import type { PlatformSpec } from './types.js';
import type { ResolvedSpec } from './resolved.js';
import { withDefaults } from './defaults.js';
import { validateSchema } from './validate.js';
import { defaultProtosDir } from '../protos-dir.js';
import { capDiagnostics, MAX_SPEC_BYTES, preParseChecks } from './bounds.js';

export type LoadResult =
  | { ok: true; spec: ResolvedSpec; diagnostics: Diagnostic[]; protosDir: string }
  | { ok: false; diagnostics: Diagnostic[]; protosDir: string };

export interface LoadOptions {
  /** Where the .proto files are (default: protos/ of the repository holding the spec). */
  protosDir?: string;
  /** The day EKS's release calendar is read for (default: now); tests pin it. */
  today?: Date;
}

/** The protos/ directory beside the spec: the nearest ancestor directory that has one. */
export function protosDirFor(specPath: string): string {
  let dir = dirname(resolve(specPath));
  for (;;) {
    if (existsSync(join(dir, 'protos'))) return join(dir, 'protos');
    const parent = dirname(dir);
    if (parent === dir) return defaultProtosDir();
    dir = parent;
  }
}

export async function loadSpecFile(path: string, options: LoadOptions = {}): Promise<LoadResult> {
  const protosDir = options.protosDir ?? protosDirFor(path);
  let text: string;
  try {
    // The file the user named, followed if it is a link, but only a regular file of bounded size
    // (never a FIFO that stalls or a device that never ends). The daemon reads through the jail.
    const st = await stat(path);
    if (!st.isFile()) throw new Error('not a regular file');
    if (st.size > MAX_SPEC_BYTES) throw new Error(`larger than ${MAX_SPEC_BYTES} bytes`);
    text = await readFile(path, 'utf8');
  } catch (err) {
    return { ok: false, protosDir, diagnostics: [{ severity: 'error', code: 'SPEC_READ', summary: `cannot read the spec: ${(err as Error).message}`, path: '', file: path, line: 1, column: 1 }] };
  }
  return loadSpecText(text, path, { protosDir, today: options.today });
}

/** Parse and validate spec text (from a file, a git blob or a POST /plan body); a valid spec comes back resolved. */
export function loadSpecText(text: string, file: string, options: LoadOptions = {}): LoadResult {
  const protosDir = options.protosDir ?? defaultProtosDir();
  const refused = preParseChecks(text, file);
  if (refused.length > 0) return { ok: false, protosDir, diagnostics: refused };
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  const yamlErrors: Diagnostic[] = [...doc.errors, ...doc.warnings].map((e) => {
    const pos = lines.linePos(e.pos[0]);
    return {
      severity: doc.errors.includes(e) ? 'error' : 'warning',
      code: 'SPEC_YAML',
      summary: `YAML: ${e.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '')}`,
      path: '',
      file,
      line: pos.line,
      column: pos.col,
    };
  });
  if (yamlErrors.some((d) => d.severity === 'error')) return { ok: false, protosDir, diagnostics: capDiagnostics(sortDiagnostics(yamlErrors)) };
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: 100 });
  } catch (err) {
    // The yaml library refuses alias bombs (and other resource-exhaustion shapes) by throwing.
    return { ok: false, protosDir, diagnostics: [{ severity: 'error', code: 'SPEC_YAML', summary: `YAML: ${(err as Error).message}`, path: '', file, line: 1, column: 1 }] };
  }
  const locate = (pointer: string, key?: string) => positionOf(doc, lines, pointer, key);
  const { diagnostics: schemaErrors, hidden } = validateSchema(value, file, locate);
  if (schemaErrors.length > 0) return { ok: false, protosDir, diagnostics: capDiagnostics(sortDiagnostics([...yamlErrors, ...schemaErrors]), hidden) };
  // Defaults are applied once, here, so the rules below and every consumer read the same values.
  const written = value as PlatformSpec;
  const spec = withDefaults(written);
  const semantic = [...semanticChecks(spec, file, locate, protosDir), ...awsLimitChecks(spec, file, locate, { protosDir, today: options.today, written })];
  const diagnostics = capDiagnostics(sortDiagnostics([...yamlErrors, ...semantic]));
  // Warnings (e.g. a version in EKS extended support) are reported but do not reject the spec.
  if (semantic.some((d) => d.severity === 'error')) return { ok: false, protosDir, diagnostics };
  return { ok: true, spec, diagnostics, protosDir };
}
