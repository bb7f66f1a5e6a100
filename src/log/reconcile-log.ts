// What the daemon's log says about a reconcile, subscribed to the engine's typed events: one plan
// summary line per reconcile, every change with its verb, id and changed field paths, progress on
// long waits, failures with their cause chain, and an invalid spec's diagnostics one per line
// with repository-relative paths. Child loggers carry {platform, commit} and {id, kind}.
import { isAbsolute, relative } from 'node:path';
import type { ApplyEventSubscriber } from '../apply/events.js';
import type { Change, ChangeOrigin, Plan } from '../plan/types.js';
import type { Diagnostic } from '../platform-spec/diagnostics.js';
import type { Logger } from './logger.js';

const VERB: Record<Change['action'], string> = { '+': 'create', '~': 'update', '-': 'delete', '-/+': 'replace', '!': 'blocked' };
const DONE: Record<string, string> = { create: 'created', update: 'updated', delete: 'deleted', replace: 'replaced' };

/** The short commit a person recognises. */
function shortSha(sha: string): string {
  return sha.slice(0, 12);
}

/** "3 changes (1 create, 2 update)" — counts by verb, in plan order of verbs. */
function changeCounts(plan: Plan): string {
  const s = plan.summary;
  const parts = ([['create', s.create], ['update', s.update], ['replace', s.replace], ['delete', s.delete], ['blocked', s.blocked]] as const)
    .filter(([, n]) => n > 0).map(([verb, n]) => `${n} ${verb}`);
  const n = plan.changes.length;
  return `${n} change${n === 1 ? '' : 's'}${parts.length ? ` (${parts.join(', ')})` : ''}`;
}

/** The diagnostic's file, relative to the checkout when it is an absolute path inside it. */
export function repositoryRelative(file: string, checkoutRoot?: string): string {
  if (!isAbsolute(file)) return file;
  if (checkoutRoot) {
    const rel = relative(checkoutRoot, file);
    if (!rel.startsWith('..') && !isAbsolute(rel)) return rel;
  }
  // Never a host path in the log: keep the name only.
  return file.split('/').pop() ?? file;
}

/** The daemon's reconcile log for one platform. */
export class ReconcileLog {
  constructor(private readonly logger: Logger) {}

  /** A child bound to the platform and the commit being worked on. */
  forCommit(platform: string | undefined, sha: string): Logger {
    return this.logger.child({ ...(platform ? { platform } : {}), commit: shortSha(sha) });
  }

  /** An invalid spec: a summary, then each diagnostic on its own line as file:line:col. */
  invalidSpec(log: Logger, sha: string, diagnostics: Diagnostic[], inForce: string | null, checkoutRoot?: string): void {
    const errors = diagnostics.filter((d) => d.severity === 'error').length;
    log.error({ errors, warnings: diagnostics.length - errors, inForce },
      `spec at ${shortSha(sha)} is invalid (${errors} error${errors === 1 ? '' : 's'}); ${inForce ? `the last good spec (${inForce}) stays in force` : 'no spec is in force yet'}`);
    for (const d of diagnostics) {
      const file = repositoryRelative(d.file, checkoutRoot);
      const at = `${file}:${d.line}:${d.column}`;
      const fields = { file, line: d.line, column: d.column, code: d.code, path: d.path, ...(d.detail ? { detail: d.detail } : {}) };
      const msg = `${at}: ${d.severity}: ${d.summary}${d.path ? ` (at ${d.path})` : ''}${d.detail ? ` — ${d.detail}` : ''}`;
      if (d.severity === 'error') log.error(fields, msg);
      else log.warn(fields, msg);
    }
  }

  /** A reconcile that failed as a whole; `error` is the cause chain (describeError). */
  failed(message: string, error: string): void {
    this.logger.error({ error }, `${message}: ${error}`);
  }

  /** The plan summary line of a reconcile: "reconciled <sha>: N changes (…)". */
  reconciled(log: Logger, sha: string, planned: Plan, opts: { detect: boolean; pending: number; failed: number }): void {
    const s = planned.summary;
    const tail = opts.detect && planned.changes.length ? '; not applied (detect mode)'
      : opts.failed ? `; ${opts.failed} failed` : opts.pending ? `; ${opts.pending} still pending` : '';
    log.info({ changes: planned.changes.length, create: s.create, update: s.update, delete: s.delete, replace: s.replace, blocked: s.blocked, pending: opts.pending, failed: opts.failed },
      `reconciled ${shortSha(sha)}: ${changeCounts(planned)}${tail}`);
  }

  /** In detect mode nothing is applied: each planned change is logged as what would happen. */
  planned(log: Logger, planned: Plan): void {
    for (const c of planned.changes) {
      const verb = VERB[c.action];
      changeLog(log, c).info({ verb, paths: paths(c), reason: c.reason, ...(c.blockedBy ? { blockedBy: c.blockedBy } : {}), ...origin(c) },
        `${c.action === '!' ? 'blocked' : `would ${verb}`} ${c.id}${describePaths(c)}${originText(c)}`);
    }
  }

  /** The engine's events as log lines; `plan` supplies each change's kind and field paths. */
  applyEvents(log: Logger, planned: Plan): ApplyEventSubscriber {
    const byId = new Map(planned.changes.map((c) => [c.id, c]));
    const children = new Map<string, Logger>();
    const forId = (id: string): Logger => {
      let child = children.get(id);
      if (!child) {
        const change = byId.get(id);
        child = change ? changeLog(log, change) : log.child({ id });
        children.set(id, child);
      }
      return child;
    };
    return (e) => {
      switch (e.type) {
        case 'change-start': {
          const c = byId.get(e.id);
          const verb = VERB[e.action as Change['action']] ?? e.action;
          forId(e.id).debug({ verb, paths: c ? paths(c) : [] }, `${verb} ${e.id} started`);
          return;
        }
        case 'change-done': {
          const c = byId.get(e.id);
          const verb = VERB[e.action as Change['action']] ?? e.action;
          forId(e.id).info({ verb, paths: c ? paths(c) : [], durationMs: e.durationMs, ...(c ? origin(c) : {}) },
            `${DONE[verb] ?? verb} ${e.id}${c ? describePaths(c) : ''} in ${seconds(e.durationMs)}${c ? originText(c) : ''}`);
          return;
        }
        case 'change-failed': {
          const verb = VERB[e.action as Change['action']] ?? e.action;
          forId(e.id).error({ verb, error: e.error }, `${verb} ${e.id} failed: ${e.cause ?? e.error}`);
          return;
        }
        case 'progress': forId(e.id).info({ elapsedMs: e.elapsedMs }, `${e.id}: ${e.message}`); return;
        case 'retry': forId(e.id).warn({ attempt: e.attempt, delayMs: e.delayMs, error: e.error }, `${e.id}: attempt ${e.attempt} failed (${e.error}); next try in ${seconds(e.delayMs)}`); return;
        case 'change-skipped': forId(e.id).info({ because: e.because }, `skipped ${e.id}: ${e.because}`); return;
        default: return;
      }
    };
  }
}

/** The message names this many paths; the `paths` field always has them all. */
const MAX_PATHS_IN_MESSAGE = 12;

function changeLog(log: Logger, c: Change): Logger {
  return log.child({ id: c.id, kind: c.kind });
}

/** Which side moved, as a log field, for changes that have one. */
function origin(c: Change): { origin?: ChangeOrigin; changedOutside?: string[] } {
  if (!c.origin) return {};
  const outside = c.fields.filter((f) => c.fieldOrigins?.[f.path] === 'outside').map((f) => f.path);
  return { origin: c.origin, ...(outside.length > 0 ? { changedOutside: outside } : {}) };
}

/** The same, at the end of the message: " (changed outside platformd)". */
function originText(c: Change): string {
  if (c.origin === 'outside') return ' (changed outside platformd)';
  if (c.origin === 'both') return ' (the spec changed, and the object was also changed outside platformd)';
  if (c.origin === 'unknown') return ' (origin unknown)';
  return '';
}

function paths(c: Change): string[] {
  return c.fields.map((f) => f.path);
}

function describePaths(c: Change): string {
  const p = paths(c);
  if (!p.length || c.action === '-') return '';
  const shown = p.slice(0, MAX_PATHS_IN_MESSAGE).join(', ');
  return ` (${shown}${p.length > MAX_PATHS_IN_MESSAGE ? `, … ${p.length - MAX_PATHS_IN_MESSAGE} more` : ''})`;
}

function seconds(ms: number): string {
  return ms < 10_000 ? `${(ms / 1000).toFixed(1)}s` : `${Math.round(ms / 1000)}s`;
}
