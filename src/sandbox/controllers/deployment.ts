// What the kubelets and the ReplicaSet controller would do: a Deployment gets Pods once the
// cluster has Ready nodes; each Pod "runs" through the container runtime (a real server with a
// real address), becomes Ready, and Services get EndpointSlices of their ready Pods. With a
// `network` (the cluster's CNI) a Pod runs only once it has an address; until then it stays
// Pending with the kubelet's FailedCreatePodSandBox Warning.
import type { ContainerRuntime, RunningContainer } from '../container-runtime.js';
import type { PodNetwork } from '../pod-network.js';
import type { KubeObject, KubeStore } from '../kube/store.js';

export interface DeploymentController {
  stop(): Promise<void>;
  idle(): Promise<void>;
}

export function startDeploymentController(store: KubeStore, runtime: () => ContainerRuntime, network?: PodNetwork): DeploymentController {
  const res = (apiVersion: string, kind: string) => store.resource(apiVersion, kind)!;
  const containers = new Map<string, RunningContainer>();
  /** Pods waiting for an address, with the reason last reported. */
  const pending = new Map<string, string>();
  let queue: Promise<void> = Promise.resolve();
  let stopped = false;

  const readyNodes = () => store.list(res('v1', 'Node')).filter((n) => (n.status?.conditions ?? []).some((c: any) => c.type === 'Ready' && c.status === 'True')).length;

  async function reconcile(): Promise<void> {
    if (stopped) return;
    const deployments = store.list(res('apps/v1', 'Deployment'));
    const wanted = new Set<string>();
    for (const d of deployments) {
      const ns = d.metadata.namespace;
      const replicas = readyNodes() > 0 ? (d.spec?.replicas ?? 1) : 0;
      const c = d.spec?.template?.spec?.containers?.[0];
      const port = c?.ports?.[0]?.containerPort ?? 0;
      const image = c?.image ?? '';
      const labels = d.spec?.template?.metadata?.labels ?? {};
      for (let i = 0; i < replicas; i++) {
        const podName = `${d.metadata.name}-${d.metadata.generation}-${i}`;
        const key = `${ns}/${podName}`;
        wanted.add(key);
        if (!containers.has(key)) {
          const address = network?.assign(key) ?? { ok: true };
          if (!address.ok) {
            waitForAddress(d, key, podName, labels, address.reason);
            continue;
          }
          try {
            const run = await runtime().start({ image, containerPort: port, env: Object.fromEntries((c?.env ?? []).map((e: any) => [e.name, e.value])), podName });
            containers.set(key, run);
            const status = { phase: 'Running', podIP: run.ip, conditions: [{ type: 'Ready', status: 'True' }], containerStatuses: [{ name: c?.name, ready: true, image, containerPort: run.port }] };
            if (pending.delete(key)) store.mergePatch(res('v1', 'Pod'), ns, podName, { status }, true);
            else store.create(res('v1', 'Pod'), { apiVersion: 'v1', kind: 'Pod', metadata: { name: podName, namespace: ns, labels, ownerReferences: [{ kind: 'Deployment', name: d.metadata.name }] },
              spec: address.node ? { ...d.spec.template.spec, nodeName: address.node } : d.spec.template.spec, status }, 'kubelet');
          } catch (err) {
            store.recordEvent(d, 'Warning', 'FailedCreatePod', String(err));
          }
        }
      }
      const ready = [...containers.keys()].filter((k) => k.startsWith(`${ns}/${d.metadata.name}-${d.metadata.generation}-`)).length;
      const fresh = store.tryGet(res('apps/v1', 'Deployment'), ns, d.metadata.name);
      if (fresh && (fresh.status?.availableReplicas !== Math.min(ready, replicas) || fresh.status?.observedGeneration !== d.metadata.generation)) {
        store.mergePatch(res('apps/v1', 'Deployment'), ns, d.metadata.name, { status: { observedGeneration: d.metadata.generation, replicas, readyReplicas: ready, availableReplicas: ready, updatedReplicas: ready,
          conditions: [{ type: 'Available', status: ready >= (d.spec?.replicas ?? 1) && ready > 0 ? 'True' : 'False', reason: ready > 0 ? 'MinimumReplicasAvailable' : 'MinimumReplicasUnavailable' }] } }, true);
      }
    }
    for (const [key, run] of [...containers]) {
      if (wanted.has(key)) continue;
      containers.delete(key);
      await run.stop();
      network?.release(key);
      const [ns, name] = key.split('/');
      try { store.delete(res('v1', 'Pod'), ns, name!); } catch { /* already gone */ }
    }
    for (const key of [...pending.keys()]) {
      if (wanted.has(key) && !containers.has(key)) continue;
      pending.delete(key);
      if (containers.has(key)) continue;
      const [ns, name] = key.split('/');
      try { store.delete(res('v1', 'Pod'), ns, name!); } catch { /* already gone */ }
    }
    syncEndpointSlices();
  }

  /** A Pod the CNI has no address for: Pending, not Ready, and the kubelet's Warning when the reason changes. */
  function waitForAddress(d: KubeObject, key: string, podName: string, labels: Record<string, string>, reason: string): void {
    const ns = d.metadata.namespace;
    let pod = store.tryGet(res('v1', 'Pod'), ns, podName);
    if (!pod) {
      pod = store.create(res('v1', 'Pod'), { apiVersion: 'v1', kind: 'Pod', metadata: { name: podName, namespace: ns, labels, ownerReferences: [{ kind: 'Deployment', name: d.metadata.name }] },
        spec: d.spec.template.spec, status: { phase: 'Pending', conditions: [{ type: 'Ready', status: 'False', reason: 'ContainersNotReady' }] } }, 'kubelet');
    }
    if (pending.get(key) !== reason) store.recordEvent(pod, 'Warning', 'FailedCreatePodSandBox', `Failed to create pod sandbox: rpc error: code = Unknown desc = failed to setup network for sandbox: ${reason}`);
    pending.set(key, reason);
  }

  function syncEndpointSlices(): void {
    const pods = store.list(res('v1', 'Pod'));
    for (const svc of store.list(res('v1', 'Service'))) {
      const sel = svc.spec?.selector as Record<string, string> | undefined;
      if (!sel) continue;
      const members = pods.filter((p) => p.metadata.namespace === svc.metadata.namespace && Object.entries(sel).every(([k, v]) => p.metadata.labels?.[k] === v) && !p.metadata.deletionTimestamp && p.status?.podIP);
      const ports = (svc.spec?.ports ?? []).map((p: any) => ({ name: p.name ?? '', port: members[0]?.status?.containerStatuses?.[0]?.containerPort ?? (typeof p.targetPort === 'number' ? p.targetPort : p.port), protocol: 'TCP' }));
      const slice: KubeObject = { apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', metadata: { name: `${svc.metadata.name}-sandbox`, namespace: svc.metadata.namespace,
        labels: { 'kubernetes.io/service-name': svc.metadata.name } }, addressType: 'IPv4',
        endpoints: members.map((p) => ({ addresses: [p.status.podIP], conditions: { ready: true }, targetRef: { kind: 'Pod', name: p.metadata.name, namespace: p.metadata.namespace } })), ports };
      const existing = store.tryGet(res('discovery.k8s.io/v1', 'EndpointSlice'), svc.metadata.namespace, slice.metadata.name);
      if (!existing) store.create(res('discovery.k8s.io/v1', 'EndpointSlice'), slice, 'endpointslice-controller');
      else if (JSON.stringify(existing.endpoints) !== JSON.stringify(slice.endpoints) || JSON.stringify(existing.ports) !== JSON.stringify(slice.ports)) {
        store.replace(res('discovery.k8s.io/v1', 'EndpointSlice'), { ...slice, metadata: { ...slice.metadata } });
      }
    }
  }

  const kick = () => { queue = queue.then(reconcile).catch(() => undefined); };
  const unsubscribe = store.onChange((kind) => {
    if (['Deployment', 'Node', 'Service'].includes(kind)) kick();
  });
  const unsubscribeNetwork = network?.onChange(() => { if (pending.size > 0) kick(); });
  kick();
  return {
    idle: () => queue,
    async stop() {
      stopped = true;
      unsubscribe();
      unsubscribeNetwork?.();
      await queue;
      for (const run of containers.values()) await run.stop();
      containers.clear();
    },
  };
}
