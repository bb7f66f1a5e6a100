// The plan as text for people (the only place with colour). Terraform-like: one block per change.
import type { Change, Plan } from './types.js';
import { diffLines, valueLines, type DiffLine } from './render-diff.js';
import { ORIGIN_TEXT } from './origin.js';

export interface TextOptions {
  color?: boolean;
}

const VERB: Record<Change['action'], string> = { '+': 'create', '~': 'update', '-': 'delete', '-/+': 'replace', '!': 'blocked' };
const COLOR: Record<Change['action'], string> = { '+': '32', '~': '33', '-': '31', '-/+': '35', '!': '31;1' };

const MARK_COLOR: Record<DiffLine['marker'], string | undefined> = { '+': '32', '-': '31', '~': '33', ' ': '2' };

/** The field lines of one change: a create's values, an update's structural diff per field. */
function fieldLines(c: Change): DiffLine[] {
  return c.fields.flatMap((f) => (c.action === '+' ? valueLines(f.path, f.new, '+', 0) : diffLines(f.path, f.old, f.new, 0)));
}

/**
 * Which side moved (Terraform's "changed outside of Terraform" vs "will be updated in-place"): a
 * comment at the end of the change's head line, and for "both" one line per side after the fields,
 * naming the paths.
 */
function originHead(c: Change): string {
  return c.origin ? `  # ${ORIGIN_TEXT[c.origin]}` : '';
}

function originPaths(c: Change): string[] {
  if (c.origin !== 'both') return [];
  const paths = (side: string) => c.fields.filter((f) => c.fieldOrigins?.[f.path] === side).map((f) => f.path).join(', ');
  return [`# changed outside platformd: ${paths('outside')}`, `# changed in the spec: ${paths('spec')}`];
}

/** Render a plan as human-readable text. Pure. */
export function renderPlanText(plan: Plan, options: TextOptions = {}): string {
  const paint = (code: string, s: string) => (options.color ? `\x1b[${code}m${s}\x1b[0m` : s);
  const lines: string[] = [];
  for (const c of plan.changes) {
    const head = `${c.action} ${c.id}`;
    const origin = originHead(c);
    lines.push(`${paint(COLOR[c.action], head)}  (${c.kind}; ${VERB[c.action]}: ${c.reason}${c.physicalId ? `; ${c.physicalId}` : ''})${origin && paint(c.origin === 'spec' ? '2' : '33', origin)}`);
    for (const l of fieldLines(c)) {
      const marker = l.marker === ' ' ? ' ' : paint(MARK_COLOR[l.marker]!, l.marker);
      lines.push(`    ${'  '.repeat(l.depth)}${marker} ${l.text}`);
    }
    for (const l of originPaths(c)) lines.push(`    ${paint('33', l)}`);
    if (c.blockedBy) lines.push(`    ${paint('31', 'blocked:')} ${c.blockedBy}`);
    for (const n of c.notes ?? []) lines.push(`    note: ${n}`);
  }
  for (const n of plan.notes) lines.push(`note: ${n}`);
  if (plan.operatorActions.length > 0) {
    lines.push('', 'Operator actions:');
    for (const a of plan.operatorActions) {
      lines.push(`  ${a.done ? '[done]' : '[todo]'} ${a.summary}`);
      if (a.detail) for (const d of a.detail.split('\n')) lines.push(`         ${d}`);
    }
  }
  const s = plan.summary;
  if (plan.changes.length === 0) {
    lines.push('No changes. The platform matches the spec.');
  } else {
    if (lines.length > 0) lines.push('');
    lines.push(`Plan: ${s.create} to create, ${s.update} to update, ${s.delete} to delete, ${s.replace} to replace, ${s.blocked} blocked.`);
  }
  return lines.join('\n');
}
