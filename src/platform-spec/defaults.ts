// The defaults, applied once, from the one place they are written: the `default` keywords of
// schema/platform.schema.json. The rest of the code reads a ResolvedSpec and never guesses.
import type { AddonName, PlatformSpec } from './types.js';
import type { ResolvedReconcile, ResolvedSpec } from './resolved.js';
import { platformSchema } from './validate.js';

export const ADDONS: AddonName[] = ['vpc-cni', 'kube-proxy', 'coredns', 'eks-pod-identity-agent'];

/** The JSON Schema keywords the defaults walk reads. */
export interface SchemaNode {
  $ref?: string;
  type?: string;
  properties?: Record<string, SchemaNode>;
  items?: SchemaNode;
  oneOf?: SchemaNode[];
  required?: string[];
  default?: unknown;
  $defs?: Record<string, SchemaNode>;
}

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The schema a local `$ref` ("#/$defs/name") points at, or the node itself. */
export function deref(node: SchemaNode, root: SchemaNode): SchemaNode {
  if (!node.$ref) return node;
  const name = node.$ref.replace(/^#\/\$defs\//, '');
  const target = root.$defs?.[name];
  if (!target) throw new Error(`schema: unresolvable $ref ${node.$ref}`);
  return target;
}

/** The default a property gets when absent: on the property itself, else on the definition it refers to. */
export function defaultOf(node: SchemaNode, root: SchemaNode): { value: unknown } | undefined {
  if ('default' in node) return { value: node.default };
  const target = deref(node, root);
  return 'default' in target ? { value: target.default } : undefined;
}

/** The oneOf branch a validated value took: its type agrees and it has the branch's required keys. */
export function branchOf(branches: SchemaNode[], value: unknown): SchemaNode | undefined {
  return branches.find((b) => {
    if (b.type === 'string') return typeof value === 'string';
    if (b.type !== undefined && b.type !== 'object') return false;
    return isObject(value) && (b.required ?? []).every((k) => k in value);
  });
}

/**
 * Fills, in place, every absent property that has a default, then walks into what is present.
 * NOTE(ajv): ajv's `useDefaults` would do this while validating, but it never fills inside oneOf
 * (hostedZone.adopt, image.keepImages) and it fills the value it validates, so the walk is ours.
 */
function fill(node: SchemaNode, value: unknown, root: SchemaNode): void {
  const schema = deref(node, root);
  if (Array.isArray(value)) {
    if (schema.items) for (const item of value) fill(schema.items, item, root);
    return;
  }
  if (!isObject(value)) return;
  for (const [key, property] of Object.entries(schema.properties ?? {})) {
    const fallback = value[key] === undefined ? defaultOf(property, root) : undefined;
    if (fallback) value[key] = structuredClone(fallback.value);
    if (value[key] !== undefined) fill(property, value[key], root);
  }
  const branch = schema.oneOf ? branchOf(schema.oneOf, value) : undefined;
  if (branch) fill(branch, value, root);
}

/**
 * Pure: a copy of a schema-valid spec with every setting that has a schema default filled with
 * it. A value in the spec always wins; the input is never modified. Idempotent.
 */
export function withDefaults(spec: PlatformSpec): ResolvedSpec {
  const root = platformSchema() as SchemaNode;
  const copy: unknown = structuredClone(spec);
  fill(root, copy, root);
  return copy as ResolvedSpec;
}

/** The reconcile settings of a spec that sets none: what `run` goes by until it has read a spec. */
export function reconcileDefaults(): ResolvedReconcile {
  const root = platformSchema() as SchemaNode;
  const settings = {};
  fill(root.$defs!.reconcile!, settings, root);
  return settings as ResolvedReconcile;
}
