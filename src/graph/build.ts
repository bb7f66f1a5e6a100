// spec → desired graph, in small ordered steps (after Terraform's PlanGraphBuilder):
// 1. nodes from each selected layer's builder, 2. edges from dependsOn and from every OutputRef
// inside the properties, 3. validation: unique ids, known dependencies, no cycles.
import { ErrorCodes, PlatformdError } from '../errors.js';
import { isOutputRef, type Desired, type OutputRef } from '../resources/kind.js';
import type { LayerName } from '../resources/registry.js';
import type { ResolvedSpec } from '../platform-spec/resolved.js';
import { layerBuilders, type BuildContext } from './layers.js';
import { topoOrder } from './order.js';

export interface DesiredGraph {
  nodes: Map<string, Desired>;
  /** id → ids it depends on (explicit and through OutputRefs). */
  deps: Map<string, Set<string>>;
  /** Ids in dependency order. */
  order: string[];
  /** Nodes of layers outside this run that nodes of this run reference: observed, never changed. */
  external: Map<string, Desired>;
}

/** Every OutputRef anywhere inside a value. */
export function collectRefs(value: unknown, out: OutputRef[] = []): OutputRef[] {
  if (isOutputRef(value)) out.push(value);
  else if (Array.isArray(value)) for (const v of value) collectRefs(v, out);
  else if (value && typeof value === 'object') for (const v of Object.values(value)) collectRefs(v, out);
  return out;
}

/**
 * Build the desired graph for the selected layers. Dependencies on ids outside the selected
 * layers are dropped (those resources are outside this run and must already exist); unknown ids
 * within the run are an error.
 */
export function buildDesiredGraph(spec: ResolvedSpec, layers: readonly LayerName[], ctx: BuildContext): DesiredGraph {
  const nodes = new Map<string, Desired>();
  const everyLayer = new Map<string, Desired>();
  for (const builder of layerBuilders) {
    const built = builder.build(spec, ctx);
    for (const node of built) {
      everyLayer.set(node.id, node);
      if (!layers.includes(builder.layer)) continue;
      if (nodes.has(node.id)) throw new PlatformdError(ErrorCodes.GRAPH_UNKNOWN_DEPENDENCY, `resource id ${node.id} is produced twice`);
      nodes.set(node.id, node);
    }
  }
  const deps = new Map<string, Set<string>>();
  const external = new Map<string, Desired>();
  for (const node of nodes.values()) {
    const all = new Set([...node.dependsOn, ...collectRefs(node.properties).map((r) => r.$ref)]);
    for (const dep of all) {
      if (!nodes.has(dep) && !everyLayer.has(dep)) {
        throw new PlatformdError(ErrorCodes.GRAPH_UNKNOWN_DEPENDENCY, `${node.id} depends on unknown resource ${dep}`);
      }
    }
    for (const dep of all) if (!nodes.has(dep)) external.set(dep, everyLayer.get(dep)!);
    deps.set(node.id, new Set([...all].filter((d) => nodes.has(d))));
  }
  const order = topoOrder([...nodes.keys()], deps);
  return { nodes, deps, order, external };
}
