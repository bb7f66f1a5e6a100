// Desired-graph builders, one per layer, in dependency order. Each turns the spec into Desired
// nodes with ids, properties (OutputRefs for values known only after apply) and dependencies.
// Add a layer's builder to `layerBuilders` below when its graph module lands.
import type { Desired } from '../resources/kind.js';
import type { LayerName } from '../resources/registry.js';
import type { ResolvedSpec } from '../platform-spec/resolved.js';
import { networkLayer } from './network.js';
import { iamLayer } from './iam.js';
import { eksLayer } from './eks.js';
import { kubeLayer } from './kube.js';
import { ingressLayer, albReadbackLayer } from './ingress.js';
import { edgeLayer } from './edge.js';

export interface BuildContext {
  /** Directory holding the .proto files (protos/ at the repository root by default). */
  protosDir: string;
}

export interface LayerBuilder {
  layer: LayerName;
  /** Pure: spec → desired nodes of this layer. May reference ids of earlier layers. */
  build(spec: ResolvedSpec, ctx: BuildContext): Desired[];
}

export const layerBuilders: LayerBuilder[] = [
  networkLayer,
  iamLayer,
  eksLayer,
  kubeLayer,
  ingressLayer,
  edgeLayer,
  albReadbackLayer,
];
