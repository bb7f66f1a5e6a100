// The names of one cluster's Ready Nodes, kept from the store's change events as an informer's
// cache would keep them: the kubelets (deployment.ts) and the VPC CNI (vpc-cni.ts) asked for them
// on every pass and every pod address, and listing (cloning) every Node each time made an apply
// of n services O(n × nodes) clones (issue 19).
import type { KubeObject, KubeStore } from '../kube/store.js';

export interface ReadyNodes {
  /** Ready Nodes' names in the API server's list order. */
  names(): readonly string[];
  stop(): void;
}

const isReady = (n: KubeObject) => (n.status?.conditions ?? []).some((c: { type?: string; status?: string }) => c.type === 'Ready' && c.status === 'True');

/** `changed` runs after the names are updated for a Node change (not for the first read). */
export function watchReadyNodes(store: KubeStore, changed?: () => void): ReadyNodes {
  const ready = new Set<string>();
  let sorted: string[] | undefined;
  const nodeRes = store.resource('v1', 'Node')!;
  for (const n of store.list(nodeRes)) if (isReady(n)) ready.add(n.metadata.name);
  const unsubscribe = store.onChange((kind, object, type) => {
    if (kind !== 'Node') return;
    const name: string = object.metadata.name;
    const now = type !== 'DELETED' && isReady(object);
    if (now !== ready.has(name)) {
      if (now) ready.add(name);
      else ready.delete(name);
      sorted = undefined;
    }
    changed?.();
  });
  return {
    // Node keys share their resource prefix, so names sort as the storage keys do (object-map.ts).
    names: () => (sorted ??= [...ready].sort((a, b) => a.localeCompare(b))),
    stop: unsubscribe,
  };
}
