// The emulated Kubernetes store, seen through the narrow seam the load balancer controller uses.
import type { LbcClusterStore, WatchedKind } from './lbc/cluster-view.js';
import type { KubeObject as LbcObject } from './lbc/objects.js';
import type { KubeStore } from '../kube/store.js';

const API: Record<WatchedKind, string> = {
  Ingress: 'networking.k8s.io/v1', Service: 'v1', EndpointSlice: 'discovery.k8s.io/v1', Pod: 'v1', Deployment: 'apps/v1',
};

export function lbcStoreAdapter(store: KubeStore): LbcClusterStore {
  const res = (kind: WatchedKind) => store.resource(API[kind], kind)!;
  const ingress = () => store.resource('networking.k8s.io/v1', 'Ingress')!;
  return {
    list: (kind, namespace) => store.list(res(kind), namespace) as unknown as LbcObject[],
    get: (kind, namespace, name) => store.tryGet(res(kind), namespace, name) as unknown as LbcObject | undefined,
    onChange: (listener) => store.onChange((kind) => listener(kind)),
    async patchIngressStatus(namespace, name, loadBalancer) {
      store.mergePatch(ingress(), namespace, name, { status: { loadBalancer } }, true);
    },
    async setIngressFinalizers(namespace, name, finalizers) {
      store.mergePatch(ingress(), namespace, name, { metadata: { finalizers } });
    },
    async recordEvent(involved, type, reason, message) {
      store.recordEvent(involved as never, type, reason, message);
    },
  };
}
