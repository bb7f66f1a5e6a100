// The generic Kubernetes client (@kubernetes/client-node's KubernetesObjectApi) is typed: it sends
// an object through its model for the kind (V1CustomResourceDefinition, ...) and returns the
// answer in model form, where some keys are renamed — JSON Schema's `enum`, `default` and `$ref`
// become `_enum`, `_default` and `ref`, every `x-kubernetes-*` key becomes `x_kubernetes_*`.
// Manifests here are written as the API server reads them (wire form). Unconverted, a CRD's
// `x-kubernetes-int-or-string` would be dropped on the way out (an invalid structural schema on
// a real cluster) and read back as drift on every plan. So: wire → model before sending, model →
// wire after reading. Kinds the client has no model for (custom resources) pass through as-is.
import type { KubernetesObject } from '@kubernetes/client-node';
import { ObjectSerializer } from '@kubernetes/client-node/dist/serializer.js';
import { getSerializationType } from '@kubernetes/client-node/dist/util.js';

type Obj = KubernetesObject & Record<string, unknown>;

/** A wire-form manifest in the form the client's serializer expects for its kind. */
export function toClientModel<T extends Obj>(wire: T): T {
  return ObjectSerializer.deserialize(wire, getSerializationType(wire.apiVersion, wire.kind)) as T;
}

/** An object as the client returned it (model form), in wire form again. */
export function toWireForm<T extends Obj>(model: T): T {
  return JSON.parse(JSON.stringify(ObjectSerializer.serialize(model, getSerializationType(model.apiVersion, model.kind)))) as T;
}
