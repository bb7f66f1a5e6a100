// Replace OutputRefs inside desired properties with the values their producers expose.
import { isOutputRef } from '../resources/kind.js';

export type OutputLookup = (id: string) => Record<string, unknown> | undefined;

export interface Resolved<T> {
  value: T;
  /** Refs whose producer has no value yet ("known after apply"). */
  unknown: string[];
}

/**
 * Pure: a deep copy of `value` with every resolvable OutputRef replaced by its value; refs that
 * cannot be resolved yet stay in place and are listed in `unknown`.
 */
export function resolveRefs<T>(value: T, lookup: OutputLookup): Resolved<T> {
  const unknown: string[] = [];
  const walk = (v: unknown): unknown => {
    if (isOutputRef(v)) {
      const out = lookup(v.$ref)?.[v.output];
      if (out === undefined) {
        // Named once however often it is used: each entry becomes one "known after apply" field.
        if (!unknown.includes(`${v.$ref}.${v.output}`)) unknown.push(`${v.$ref}.${v.output}`);
        return v;
      }
      return out;
    }
    if (Array.isArray(v)) return v.map(walk);
    if (v && typeof v === 'object') {
      const o: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v)) o[k] = walk(x);
      return o;
    }
    return v;
  };
  return { value: walk(value) as T, unknown };
}
