// The lines apply prints when it ends: the one-line summary, every failure, and the skipped —
// grouped by why, so an interrupt that left 60 changes unstarted reads as one line, not 60.
import type { ApplyResult } from '../engine.js';

/** Groups larger than this print as one line naming the first few ids. */
const GROUP_AT = 3;
const NAMED = 3;

/** Pure: the summary lines of an apply result. */
export function applySummaryLines(result: Pick<ApplyResult, 'ok' | 'durationMs' | 'applied' | 'failed' | 'skipped'>): string[] {
  const lines = [`Apply ${result.ok ? 'complete' : 'finished with problems'} in ${Math.round(result.durationMs / 1000)}s: ${result.applied.length} applied, ${result.failed.length} failed, ${result.skipped.length} skipped.`];
  for (const f of result.failed) lines.push(`  failed:  ${f.id}: ${f.error}`);
  const byReason = new Map<string, string[]>();
  for (const s of result.skipped) byReason.set(s.because, [...(byReason.get(s.because) ?? []), s.id]);
  for (const [because, ids] of byReason) {
    if (ids.length <= GROUP_AT) {
      for (const id of ids) lines.push(`  skipped: ${id}: ${because}`);
      continue;
    }
    const rest = ids.length - NAMED;
    lines.push(`  skipped: ${ids.length} changes (${because}): ${ids.slice(0, NAMED).join(', ')} and ${rest} more`);
  }
  return lines;
}
