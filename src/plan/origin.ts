// Which side moved, for a change to an object that exists: the spec, the live object (changed
// outside platformd), both, or unknown. Kinds judge each field from their record of what platformd
// last applied (Kubernetes managedFields, the applied-digest tag on AWS resources); this folds the
// fields' answers into the change's. Pure.
import type { DiffResult, FieldChange } from '../resources/kind.js';
import type { ChangeOrigin } from './types.js';

/** Pure: the origin of a change from its fields'; any field without one makes it unknown. */
export function changeOrigin(fields: readonly FieldChange[], origins: DiffResult['origins']): ChangeOrigin {
  const seen = new Set(fields.map((f) => origins?.[f.path] ?? 'unknown'));
  if (seen.size === 0 || seen.has('unknown')) return 'unknown';
  if (seen.size > 1) return 'both';
  return seen.has('outside') ? 'outside' : 'spec';
}

/** What a reader is told about each origin (text plan, log line, status). */
export const ORIGIN_TEXT: Record<ChangeOrigin, string> = {
  spec: 'will be updated to match the spec',
  outside: 'changed outside platformd; will be set back to the spec',
  both: 'the spec changed and the object was also changed outside platformd',
  unknown: 'origin unknown: no record of what platformd last applied to it',
};
