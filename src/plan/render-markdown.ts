// The plan as Markdown for a pull-request or merge-request comment: summary counts, blocked
// changes and their reasons first (they need a person), then one collapsible section per layer
// with a diff block. GitHub refuses comment bodies over 65,536 characters, so the rendering has a
// budget: blocked changes are always named; details are cut with a note saying how many changes
// were left out and where to see the whole plan. Pure.
import type { Change, Plan } from './types.js';
import { ORIGIN_TEXT } from './origin.js';

/** GitHub's limit on a comment body; GitLab's is larger (1,000,000). */
export const MARKDOWN_LIMIT = 65_536;
/** A line that finds the comment again, so CI updates one comment per pull request. */
export const PLAN_COMMENT_MARKER = '<!-- platformd-plan -->';

const LAYERS = ['network', 'iam', 'eks', 'kube', 'edge'] as const;
const LAYER_TITLE: Record<string, string> = { network: 'Network', iam: 'IAM', eks: 'EKS', kube: 'Cluster objects', edge: 'ALB, certificate and DNS' };
const VERB: Record<Change['action'], string> = { '+': 'create', '~': 'update', '-': 'delete', '-/+': 'replace', '!': 'blocked' };

export interface MarkdownOptions {
  /** Heading context, e.g. the commit or the spec's path. */
  title?: string;
  /** Budget in characters (default MARKDOWN_LIMIT). */
  limit?: number;
}

function layerOf(c: Change): string {
  const first = c.id.split('/')[0] ?? '';
  return (LAYERS as readonly string[]).includes(first) ? first : 'other';
}

/** Inline code that cannot be broken out of: backticks in the value widen the fence. */
function code(text: string): string {
  const fence = text.includes('`') ? '``' : '`';
  return `${fence}${fence === '``' ? ` ${text} ` : text}${fence}`;
}

function value(v: unknown): string {
  const text = v === undefined || v === null ? '(none)' : JSON.stringify(v);
  return text.length > 300 ? `${text.slice(0, 300)}… (${text.length} characters)` : text;
}

function changeLines(c: Change): string[] {
  // In a diff block + is green, - red and ! highlighted: updates and replacements take !.
  const mark = c.action === '~' || c.action === '-/+' ? '!' : c.action;
  const lines = [`${mark} ${c.id}  (${VERB[c.action]}: ${c.reason})${c.origin ? `  # ${ORIGIN_TEXT[c.origin]}` : ''}`];
  const outside = (path: string) => (c.origin === 'both' && c.fieldOrigins?.[path] === 'outside' ? '  # changed outside platformd' : '');
  for (const f of c.fields) lines.push(c.action === '+' ? `    ${f.path} = ${value(f.new)}` : `    ${f.path}: ${value(f.old)} → ${value(f.new)}${outside(f.path)}`);
  for (const n of c.notes ?? []) lines.push(`    note: ${n}`);
  // A diff block must not be closed early by a value holding a fence.
  return lines.map((l) => l.replaceAll('```', '`\u200b``'));
}

/** Render a plan as Markdown within the budget. */
export function renderPlanMarkdown(plan: Plan, options: MarkdownOptions = {}): string {
  const limit = options.limit ?? MARKDOWN_LIMIT;
  const s = plan.summary;
  const head = [
    PLAN_COMMENT_MARKER,
    `### platformd plan for ${code(plan.platform)}${options.title ? ` (${options.title})` : ''}`,
    '',
    plan.changes.length === 0
      ? '**No changes.** The platform matches the spec.'
      : `**${s.create}** to create, **${s.update}** to update, **${s.delete}** to delete, **${s.replace}** to replace, **${s.blocked}** blocked.`,
  ];
  const tail: string[] = [];
  if (plan.operatorActions.length > 0) {
    tail.push('', '#### Operator actions', '');
    for (const a of plan.operatorActions) tail.push(`- [${a.done ? 'x' : ' '}] ${a.summary}`);
  }
  const truncationRoom = 300;
  let budget = limit - [...head, ...tail].join('\n').length - truncationRoom;
  const out = [...head];
  const push = (lines: string[]): boolean => {
    const size = lines.join('\n').length + 1;
    if (size > budget) return false;
    out.push(...lines);
    budget -= size;
    return true;
  };

  const blocked = plan.changes.filter((c) => c.action === '!');
  let left = 0;
  if (blocked.length > 0) {
    push(['', `#### Blocked (${blocked.length}): needs a person`, '']);
    for (const [i, c] of blocked.entries()) {
      if (!push([`- ${code(c.id)}: ${c.blockedBy ?? c.reason}`])) {
        left += blocked.length - i;
        push([`- … and ${blocked.length - i} more blocked changes`]);
        break;
      }
    }
  }
  const others = plan.changes.filter((c) => c.action !== '!');
  for (const layer of [...LAYERS, 'other']) {
    const changes = others.filter((c) => layerOf(c) === layer);
    if (changes.length === 0) continue;
    const counts = (['+', '~', '-', '-/+'] as const).map((a) => [a, changes.filter((c) => c.action === a).length] as const).filter(([, n]) => n > 0);
    const opened = ['', `<details><summary>${LAYER_TITLE[layer] ?? 'Other'}: ${changes.length} change${changes.length === 1 ? '' : 's'} (${counts.map(([a, n]) => `${n} to ${VERB[a]}`).join(', ')})</summary>`, '', '```diff'];
    const closing = ['```', '', '</details>'];
    budget -= closing.join('\n').length + 1;
    if (!push(opened)) {
      budget += closing.join('\n').length + 1;
      left += changes.length;
      continue;
    }
    for (const [i, c] of changes.entries()) {
      if (!push(changeLines(c))) {
        left += changes.length - i;
        break;
      }
    }
    out.push(...closing);
  }
  if (left > 0) {
    out.push('', `> **Truncated:** ${left} change${left === 1 ? '' : 's'} not shown to stay under ${limit.toLocaleString('en-US')} characters. See the whole plan with \`platformd plan --json\` or \`GET /plan?format=json\`.`);
  }
  out.push(...tail);
  return out.join('\n');
}
