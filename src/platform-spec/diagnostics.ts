// Spec problems as diagnostics, all at once (after Terraform's tfdiags): one type for the CLI,
// /plan (422 bodies) and /status.
import { compareText } from '../compare-text.js';

export interface Diagnostic {
  severity: 'error' | 'warning';
  /** Stable code, e.g. SPEC_YAML, SPEC_SCHEMA, SPEC_CIDR_OVERLAP. */
  code: string;
  summary: string;
  detail?: string;
  /** JSON pointer into the document, e.g. /services/1/port ("" = the whole document). */
  path: string;
  file: string;
  line: number;
  column: number;
}

/** `file:line:col: error: summary (at /path)` — the format editors and CI annotate from. */
export function formatDiagnostic(d: Diagnostic): string {
  const where = d.path ? ` (at ${d.path})` : '';
  const detail = d.detail ? `\n    ${d.detail}` : '';
  return `${d.file}:${d.line}:${d.column}: ${d.severity}: ${d.summary}${where}${detail}`;
}

/** Sort by position so a list reads top to bottom. */
export function sortDiagnostics(list: Diagnostic[]): Diagnostic[] {
  return [...list].sort((a, b) => a.line - b.line || a.column - b.column || compareText(a.code, b.code));
}
