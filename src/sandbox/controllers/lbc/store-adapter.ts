// Adapts one emulated cluster's KubeStore (sandbox/kube) to the controller's LbcClusterStore
// seam: typed lookups of the kinds it watches, status and finalizer writes as merge patches (as
// the real controller's PATCH calls), Events through the store, and change notifications only
// for the kinds the controller watches (its informers), so its own Events do not wake it.
import type { KubeStore, KubeObject as StoreObject } from '../../kube/store.js';
import type { LbcClusterStore, WatchedKind } from './cluster-view.js';
import type { KubeObject } from './objects.js';
import { TGB_API_VERSION, type TargetGroupBindingStore } from './target-group-bindings.js';

const API_VERSION: Record<WatchedKind, string> = {
  Ingress: 'networking.k8s.io/v1',
  Service: 'v1',
  EndpointSlice: 'discovery.k8s.io/v1',
  Pod: 'v1',
  Deployment: 'apps/v1',
  ServiceAccount: 'v1',
};

/** `k=v,…` for valid label keys and values; anything else selects all (callers filter again). */
function selectorText(labels: Record<string, string>): string | undefined {
  const pairs = Object.entries(labels);
  return pairs.every(([k, v]) => /^[\w./-]+$/.test(k) && /^[\w.-]*$/.test(v)) ? pairs.map(([k, v]) => `${k}=${v}`).join(',') : undefined;
}

export function lbcStoreOf(store: KubeStore): LbcClusterStore {
  const res = (kind: WatchedKind) => {
    const r = store.resource(API_VERSION[kind], kind);
    if (!r) throw new Error(`the emulated API server does not serve ${kind}`);
    return r;
  };
  return {
    list: (kind, namespace, labels) => store.list(res(kind), namespace, labels && selectorText(labels)) as unknown as KubeObject[],
    get: (kind, namespace, name) => store.tryGet(res(kind), namespace, name) as unknown as KubeObject | undefined,
    onChange: (listener) => store.onChange((kind) => {
      if (kind in API_VERSION) listener(kind);
    }),
    async patchIngressStatus(namespace, name, loadBalancer) {
      store.mergePatch(res('Ingress'), namespace, name, { status: { loadBalancer } }, true);
    },
    async setIngressFinalizers(namespace, name, finalizers) {
      store.mergePatch(res('Ingress'), namespace, name, { metadata: { finalizers } });
    },
    async recordEvent(involved, type, reason, message) {
      store.recordEvent(involved as unknown as StoreObject, type, reason, message);
    },
  };
}

/**
 * TargetGroupBindings through the same store, so the CRD's schema prunes and validates what the
 * controller writes. Without the CRD the kind is not served, and the write fails as client-go's
 * does (no matches for kind), which the controller reports as a failed deploy.
 */
export function tgbStoreOf(store: KubeStore): TargetGroupBindingStore {
  const res = () => {
    const r = store.resource(TGB_API_VERSION, 'TargetGroupBinding');
    if (!r) throw new Error(`no matches for kind "TargetGroupBinding" in version "${TGB_API_VERSION}"`);
    return r;
  };
  const served = () => store.resource(TGB_API_VERSION, 'TargetGroupBinding');
  return {
    list: () => {
      const r = served();
      return r ? (store.list(r) as unknown as KubeObject[]) : [];
    },
    async create(tgb) {
      store.create(res(), tgb as unknown as StoreObject, 'aws-load-balancer-controller');
    },
    async replaceSpec(namespace, name, labels, spec) {
      const live = store.get(res(), namespace, name);
      store.replace(res(), { ...live, metadata: { ...live.metadata, labels: { ...live.metadata.labels, ...labels } }, spec } as StoreObject, false, false, 'aws-load-balancer-controller');
    },
    async delete(namespace, name) {
      const r = served();
      if (r && store.tryGet(r, namespace, name)) store.delete(r, namespace, name);
    },
  };
}
