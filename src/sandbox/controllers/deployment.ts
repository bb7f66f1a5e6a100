// What the kubelets and the ReplicaSet controller would do: a Deployment gets Pods once the
// cluster has Ready nodes; each Pod "runs" through the container runtime (a real server with a
// real address), becomes Ready, and Services get EndpointSlices of their ready Pods. With a
// `network` (the cluster's CNI) a Pod runs only once it has an address; until then it stays
// Pending with the kubelet's FailedCreatePodSandBox Warning. With an `images` puller (the node's
// pull of an ECR image) a Pod runs only once its image is pulled; until then it stays Pending with
// its container waiting in ErrImagePull, then ImagePullBackOff, and the kubelet retries the pull
// with its back-off (pkg/kubelet/images/image_manager.go, events Pulling/Pulled/Failed/BackOff).
// The sandbox keeps one Event per reason, so Failed holds the pull error; the kubelet's further
// Failed events "Error: ErrImagePull" / "Error: ImagePullBackOff" are left out (the container
// status carries those reasons).
import type { ImagePuller } from './image-pull.js';
import type { ContainerRuntime, RunningContainer } from '../container-runtime.js';
import type { PodNetwork } from '../pod-network.js';
import type { KubeObject, KubeStore } from '../kube/store.js';
import { startSliceTracker, takeQueued } from './endpoint-slices.js';
import { watchReadyNodes } from './ready-nodes.js';

export interface DeploymentController {
  stop(): Promise<void>;
  idle(): Promise<void>;
}

interface PulledContainer { name?: string; image?: string; imagePullPolicy?: string }

interface PullBackOff {
  failures: number;
  /** Wall-clock ms before which the kubelet does not try again. */
  retryAt: number;
  timer?: NodeJS.Timeout;
}

export function startDeploymentController(store: KubeStore, runtime: () => ContainerRuntime, network?: PodNetwork, images?: ImagePuller): DeploymentController {
  const res = (apiVersion: string, kind: string) => store.resource(apiVersion, kind)!;
  const containers = new Map<string, RunningContainer>();
  /** Pods waiting for an address, with the reason last reported. */
  const pending = new Map<string, string>();
  /** Pods whose image pull failed, until it succeeds. */
  const pulls = new Map<string, PullBackOff>();
  /** Pods the kubelet created Pending to pull their image (their container is not running yet). */
  const pulledPods = new Set<string>();
  let queue: Promise<void> = Promise.resolve();
  let stopped = false;
  // NOTE(incremental): a pass reconciles only the Deployments that changed (or every one after a
  // Node change: replicas follow the ready nodes), plus those not yet fully running, which are
  // retried on every pass as before; and syncs only the EndpointSlices of Services that changed or
  // select a Pod that changed. Re-reading every Deployment and Service on each change made an
  // apply of n services O(n²) (issue 19).
  const deploymentsToReconcile = new Set<string>();
  let reconcileEveryDeployment = true;
  /** The Pods each reconciled Deployment wants; their union is what may run. */
  const wantedBy = new Map<string, Set<string>>();
  /**
   * This pass may leave a Pod unwanted (a full pass, a Deployment deleted or wanting other Pods):
   * only then are the containers and pending Pods swept, an O(pods) walk.
   */
  let podsMayBeUnwanted = true;
  const slices = startSliceTracker(store);

  const readyNodes = watchReadyNodes(store);

  /** The Deployments this pass reconciles, in the API server's list order. */
  function deploymentsOfPass(): KubeObject[] {
    const deploymentRes = res('apps/v1', 'Deployment');
    if (reconcileEveryDeployment) {
      reconcileEveryDeployment = false;
      deploymentsToReconcile.clear();
      const all = store.list(deploymentRes);
      wantedBy.clear();
      podsMayBeUnwanted = true;
      return all;
    }
    const { found, gone } = takeQueued(store, deploymentRes, deploymentsToReconcile);
    for (const key of gone) podsMayBeUnwanted = wantedBy.delete(key) || podsMayBeUnwanted;
    return found;
  }

  async function reconcile(): Promise<void> {
    if (stopped) return;
    const deployments = deploymentsOfPass();
    const nodesReady = readyNodes.names().length > 0;
    for (const d of deployments) {
      const ns = d.metadata.namespace;
      const replicas = nodesReady ? (d.spec?.replicas ?? 1) : 0;
      const deploymentKey = `${ns}/${d.metadata.name}`;
      const wantedBefore = wantedBy.get(deploymentKey);
      const wantedHere = new Set<string>();
      wantedBy.set(deploymentKey, wantedHere);
      const c = d.spec?.template?.spec?.containers?.[0];
      const port = c?.ports?.[0]?.containerPort ?? 0;
      const image = c?.image ?? '';
      const labels = d.spec?.template?.metadata?.labels ?? {};
      for (let i = 0; i < replicas; i++) {
        const podName = `${d.metadata.name}-${d.metadata.generation}-${i}`;
        const key = `${ns}/${podName}`;
        wantedHere.add(key);
        if (!containers.has(key)) {
          const address = network?.assign(key) ?? { ok: true };
          if (!address.ok) {
            waitForAddress(d, key, podName, labels, address.reason);
            continue;
          }
          if (images?.handles(image) && !(await pulled(d, key, podName, labels, address.node, c))) continue;
          try {
            const run = await runtime().start({ image, containerPort: port, env: Object.fromEntries((c?.env ?? []).map((e: any) => [e.name, e.value])), podName });
            containers.set(key, run);
            const status = { phase: 'Running', podIP: run.ip, conditions: [{ type: 'Ready', status: 'True' }], containerStatuses: [{ name: c?.name, ready: true, image, containerPort: run.port }] };
            if ([pending.delete(key), pulledPods.delete(key)].some(Boolean)) store.mergePatch(res('v1', 'Pod'), ns, podName, { status }, true);
            else store.create(res('v1', 'Pod'), { apiVersion: 'v1', kind: 'Pod', metadata: { name: podName, namespace: ns, labels, ownerReferences: [{ kind: 'Deployment', name: d.metadata.name }] },
              spec: address.node ? { ...d.spec.template.spec, nodeName: address.node } : d.spec.template.spec, status }, 'kubelet');
          } catch (err) {
            store.recordEvent(d, 'Warning', 'FailedCreatePod', String(err));
          }
        }
      }
      podsMayBeUnwanted ||= [...wantedBefore ?? []].some((key) => !wantedHere.has(key));
      // Not fully running (no address, image pull back-off, a failed start): tried again on the next pass, whatever wakes it.
      if ([...wantedHere].some((key) => !containers.has(key))) deploymentsToReconcile.add(deploymentKey);
      // This generation's pods are -0 … -(spec.replicas − 1): a prefix scan of every container was
      // O(pods) per Deployment and counted another Deployment's pods (web-1-… for web at generation 1).
      const ready = Array.from({ length: d.spec?.replicas ?? 1 }, (_, i) => `${ns}/${d.metadata.name}-${d.metadata.generation}-${i}`).filter((k) => containers.has(k)).length;
      const fresh = store.tryGet(res('apps/v1', 'Deployment'), ns, d.metadata.name);
      if (fresh && (fresh.status?.availableReplicas !== Math.min(ready, replicas) || fresh.status?.observedGeneration !== d.metadata.generation)) {
        store.mergePatch(res('apps/v1', 'Deployment'), ns, d.metadata.name, { status: { observedGeneration: d.metadata.generation, replicas, readyReplicas: ready, availableReplicas: ready, updatedReplicas: ready,
          conditions: [{ type: 'Available', status: ready >= (d.spec?.replicas ?? 1) && ready > 0 ? 'True' : 'False', reason: ready > 0 ? 'MinimumReplicasAvailable' : 'MinimumReplicasUnavailable' }] } }, true);
      }
    }
    if (podsMayBeUnwanted) await sweepUnwanted();
    syncEndpointSlices();
  }

  /** Stop what no Deployment wants any more: containers, pending Pods, pull back-offs. */
  async function sweepUnwanted(): Promise<void> {
    podsMayBeUnwanted = false;
    const wanted = new Set<string>();
    for (const pods of wantedBy.values()) for (const key of pods) wanted.add(key);
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
    for (const [key, backOff] of [...pulls]) {
      if (wanted.has(key)) continue;
      clearTimeout(backOff.timer);
      pulls.delete(key);
    }
    for (const key of [...pulledPods]) {
      if (wanted.has(key)) continue;
      pulledPods.delete(key);
      network?.release(key);
      const [ns, name] = key.split('/');
      try { store.delete(res('v1', 'Pod'), ns, name!); } catch { /* already gone */ }
    }
  }

  /**
   * The kubelet's pull of a Pod's image on its node: true once pulled (or already present); else
   * the Pod stays Pending, its container waiting in ErrImagePull, and a retry is due after the back-off.
   */
  async function pulled(d: KubeObject, key: string, podName: string, labels: Record<string, string>, node: string | undefined, container: PulledContainer | undefined): Promise<boolean> {
    const backOff = pulls.get(key);
    if (!images) return true;
    if (backOff && Date.now() < backOff.retryAt) return false;
    const ns = d.metadata.namespace;
    const image: string = container?.image ?? '';
    let pod = store.tryGet(res('v1', 'Pod'), ns, podName);
    if (!pod) {
      pod = store.create(res('v1', 'Pod'), { apiVersion: 'v1', kind: 'Pod', metadata: { name: podName, namespace: ns, labels, ownerReferences: [{ kind: 'Deployment', name: d.metadata.name }] },
        spec: node ? { ...d.spec.template.spec, nodeName: node } : d.spec.template.spec, status: { phase: 'Pending', conditions: [{ type: 'Ready', status: 'False', reason: 'ContainersNotReady' }] } }, 'kubelet');
    }
    pulledPods.add(key);
    const involved = pod;
    const outcome = await images.pull(image, node, container?.imagePullPolicy, () => store.recordEvent(involved, 'Normal', 'Pulling', `Pulling image "${image}"`));
    if (outcome.ok) {
      clearTimeout(backOff?.timer);
      pulls.delete(key);
      store.recordEvent(pod, 'Normal', 'Pulled', outcome.alreadyPresent ? `Container image "${image}" already present on machine` : `Successfully pulled image "${image}"`);
      return true;
    }
    store.recordEvent(pod, 'Warning', 'Failed', `Failed to pull image "${image}": ${outcome.message}`);
    const waiting = (reason: string, message: string) => {
      if (!store.tryGet(res('v1', 'Pod'), ns, podName)) return;
      store.mergePatch(res('v1', 'Pod'), ns, podName, { status: { phase: 'Pending', conditions: [{ type: 'Ready', status: 'False', reason: 'ContainersNotReady' }],
        containerStatuses: [{ name: container?.name, ready: false, started: false, restartCount: 0, image, imageID: '', state: { waiting: { reason, message } } }] } }, true);
    };
    waiting('ErrImagePull', outcome.message);
    const failures = (backOff?.failures ?? 0) + 1;
    const delay = images.backOff(failures);
    const next: PullBackOff = { failures, retryAt: Date.now() + delay };
    clearTimeout(backOff?.timer);
    pulls.set(key, next);
    // The kubelet's next sync of the Pod reports the back-off; the pull is retried once it has passed.
    next.timer = setTimeout(() => {
      if (pulls.get(key) !== next || stopped) return;
      waiting('ImagePullBackOff', `Back-off pulling image "${image}"`);
      const shown = store.tryGet(res('v1', 'Pod'), ns, podName);
      if (shown) store.recordEvent(shown, 'Normal', 'BackOff', `Back-off pulling image "${image}"`);
      next.timer = setTimeout(kick, Math.max(0, next.retryAt - Date.now())).unref();
    }, delay / 2).unref();
    return false;
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
    for (const svc of slices.servicesToSync()) {
      const sel = svc.spec?.selector as Record<string, string> | undefined;
      if (!sel) continue;
      const members = slices.podsSelectedBy(svc.metadata.namespace, sel).map((key) => store.tryGet(res('v1', 'Pod'), svc.metadata.namespace, key.slice(key.indexOf('/') + 1)))
        .filter((p): p is KubeObject => p !== undefined).filter((p) => p.metadata.namespace === svc.metadata.namespace && Object.entries(sel).every(([k, v]) => p.metadata.labels?.[k] === v) && !p.metadata.deletionTimestamp && p.status?.podIP);
      const ports = (svc.spec?.ports ?? []).map((p: any) => ({ name: p.name ?? '', port: members[0]?.status?.containerStatuses?.[0]?.containerPort ?? (typeof p.targetPort === 'number' ? p.targetPort : p.port), protocol: 'TCP' }));
      const slice: KubeObject = { apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', metadata: { name: `${svc.metadata.name}-sandbox`, namespace: svc.metadata.namespace,
        labels: { 'kubernetes.io/service-name': svc.metadata.name } }, addressType: 'IPv4',
        endpoints: members.map((p) => ({ addresses: [p.status.podIP], conditions: { ready: true }, targetRef: { kind: 'Pod', name: p.metadata.name, namespace: p.metadata.namespace } })), ports };
      const existing = store.tryGet(res('discovery.k8s.io/v1', 'EndpointSlice'), svc.metadata.namespace, slice.metadata.name);
      if (!existing) store.create(res('discovery.k8s.io/v1', 'EndpointSlice'), slice, 'endpointslice-controller');
      else if (JSON.stringify(existing.endpoints) !== JSON.stringify(slice.endpoints) || JSON.stringify(existing.ports) !== JSON.stringify(slice.ports)) {
        store.replace(res('discovery.k8s.io/v1', 'EndpointSlice'), { ...slice, metadata: { ...slice.metadata } }, false, false, 'endpointslice-controller');
      }
    }
  }

  // A pass that failed part-way forgets what it had taken off the queues: the next pass looks at everything, as every pass once did.
  const kick = () => { queue = queue.then(reconcile).catch(() => { reconcileEveryDeployment = true; podsMayBeUnwanted = true; slices.resyncAll(); }); };
  const unsubscribe = store.onChange((kind, object) => {
    if (kind === 'Deployment') deploymentsToReconcile.add(`${object.metadata.namespace}/${object.metadata.name}`);
    if (kind === 'Node') reconcileEveryDeployment = true;
    if (['Deployment', 'Node', 'Service'].includes(kind)) kick();
  });
  const unsubscribeNetwork = network?.onChange(() => { if (pending.size > 0) kick(); });
  kick();
  return {
    idle: () => queue,
    async stop() {
      stopped = true;
      unsubscribe();
      slices.stop();
      readyNodes.stop();
      unsubscribeNetwork?.();
      await queue;
      for (const backOff of pulls.values()) clearTimeout(backOff.timer);
      for (const run of containers.values()) await run.stop();
      containers.clear();
    },
  };
}
