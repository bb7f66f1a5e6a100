// The seam between the emulated kubelets (controllers/deployment.ts) and the cluster's CNI
// (controllers/vpc-cni.ts): a pod runs only once the CNI gave it an address, as the kubelet's
// RunPodSandbox fails ("failed to assign an IP address to container") while ipamd has none.

export type PodAddress =
  /** An address (ip undefined: the cluster has no CNI the sandbox emulates; the pod runs as before). */
  | { ok: true; ip?: string; node?: string }
  /** None yet: the CNI's reason, as the kubelet's FailedCreatePodSandBox event shows it. */
  | { ok: false; reason: string };

export interface PodNetwork {
  /** An address for the pod `namespace/name` (the same one while the pod keeps it). Never waits. */
  assign(podKey: string): PodAddress;
  /** The pod is gone: its address goes back to the node's pool. */
  release(podKey: string): void;
  /** Called when addresses may have become available (the kubelet retries pending pods). */
  onChange(listener: () => void): () => void;
}
