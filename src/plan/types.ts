// The plan is pure data (like Terraform's plan): built by plan/diff.ts, rendered by
// render-text.ts / render-json.ts, and walked by apply/. Nothing here does I/O.
import type { FieldChange, FieldOrigin } from '../resources/kind.js';
import type { OperatorAction } from '../resources/plan-values.js';

/**
 * The action symbol doubles as its value: + create, ~ update, - delete, -/+ replace, ! blocked.
 * NOTE(glyphs): -/+ is Terraform's "destroy, then create", which is what a replacement does here;
 * Terraform's +/- (create before destroy) is not an action platformd takes.
 */
export type Action = '+' | '~' | '-' | '-/+' | '!';

export type Reason =
  | 'missing'             // desired, not found live → create
  | 'drift'               // found live, fields differ → update
  | 'replace-immutable'   // a field that cannot change in place differs → replace
  | 'not-in-spec'         // owned, live, no longer desired → delete
  | 'duplicate'           // a second live object with a logical id already in use (a lost answer's orphan) → delete
  | 'deletion-not-allowed'// would delete stateful infra without the spec's opt-in → blocked
  | 'read-only-missing'   // an existing resource named by id was not found → blocked
  | 'read-only-drift'     // an existing resource named by id lacks what we need → reported, blocked
  | 'dependency-blocked'; // depends on a blocked change → blocked

/**
 * Why an object that exists must change (Terraform's "Objects have changed outside of Terraform"
 * vs "will be updated in-place"): the spec changed since platformd last applied it, someone changed
 * the live object outside platformd, both, or unknown (the object carries no record of what
 * platformd last applied: created before platformd kept one, or a kind that keeps none).
 */
export type ChangeOrigin = 'spec' | 'outside' | 'both' | 'unknown';

export interface Change {
  id: string;
  kind: string;
  action: Action;
  reason: Reason;
  /** For '~' and '-/+' of an existing object: which side moved (plan/origin.ts). */
  origin?: ChangeOrigin;
  /** Field path → which side moved, for the fields a kind could judge. */
  fieldOrigins?: Record<string, FieldOrigin>;
  /** Field-level differences; values not yet known are the string KNOWN_AFTER_APPLY. */
  fields: FieldChange[];
  /** For '!': what blocks it (the missing opt-in, the blocked dependency). */
  blockedBy?: string;
  /** Physical id when the object exists. */
  physicalId?: string;
  /** Ids this change must wait for (creates/updates) or that must go first (deletes). */
  dependsOn: string[];
  /** Free-form notes for the reader, e.g. "split into ingress group 2 (ALB rule quota)". */
  notes?: string[];
}

// Defined beside the kinds that produce them (resources/ never imports plan/).
export { KNOWN_AFTER_APPLY, type OperatorAction } from '../resources/plan-values.js';

export interface Plan {
  platform: string;
  /** Only resources that need an action; a converged platform has none. */
  changes: Change[];
  summary: { create: number; update: number; delete: number; replace: number; blocked: number };
  /** Resources in sync, by kind, for /status and metrics. */
  inSync: { id: string; kind: string; physicalId: string }[];
  operatorActions: OperatorAction[];
  notes: string[];
}
