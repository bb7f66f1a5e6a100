// The emulated clusters: when EKS turns a cluster ACTIVE, start its API server (certificate from
// the sandbox CA, endpoint and CA handed back to EKS), its node registration and its deployment
// controller; node groups register Ready Nodes.
import type { ClusterBackend, ClusterEndpoint } from './cluster-backend.js';
import type { SandboxCa } from './ca.js';
import { nullRuntime, type ContainerRuntime } from './container-runtime.js';
import { KubeApiServer } from './kube/server.js';
import { KubeStore } from './kube/store.js';
import { startDeploymentController, type DeploymentController } from './controllers/deployment.js';
import type { PodNetwork } from './pod-network.js';
import type { ImagePuller } from './controllers/image-pull.js';

export interface EmulatedCluster {
  name: string;
  store: KubeStore;
  server: KubeApiServer;
  endpoint: ClusterEndpoint;
  deployments: DeploymentController;
  /** The cluster's CNI, when the world emulates one. */
  network?: PodNetwork & { stop(): void };
}

export class KubeBackend implements ClusterBackend {
  readonly clusters = new Map<string, EmulatedCluster>();
  private starting = new Map<string, Promise<ClusterEndpoint>>();
  runtime: ContainerRuntime = nullRuntime;
  /** Called for each new cluster (the world starts the load balancer controller there). */
  onCluster?: (c: EmulatedCluster, meta: { name: string; region: string }) => void;
  /** The CNI of each new cluster (the world starts the VPC CNI); without one pods need no address. */
  podNetwork?: (cluster: { name: string; region: string }, store: KubeStore) => (PodNetwork & { stop(): void }) | undefined;
  /** How each new cluster's kubelets pull images (the world pulls ECR images as the node role); without one images are not pulled. */
  imagePuller?: (cluster: { name: string; region: string }, store: KubeStore) => ImagePuller | undefined;

  constructor(private readonly ca: SandboxCa, private readonly secretOf: (accessKeyId: string) => string | undefined) {}

  provision(cluster: { name: string; arn: string; version: string; region: string }): Promise<ClusterEndpoint> {
    const existing = this.starting.get(cluster.name);
    if (existing) return existing;
    const p = (async () => {
      const store = new KubeStore();
      const server = new KubeApiServer({ clusterName: cluster.name, ca: this.ca, store, secretOf: this.secretOf, version: cluster.version });
      const endpoint = await server.listen();
      const network = this.podNetwork?.(cluster, store);
      const c: EmulatedCluster = { name: cluster.name, store, server, endpoint: { endpoint, certificateAuthorityData: Buffer.from(this.ca.certPem).toString('base64') },
        deployments: startDeploymentController(store, () => this.runtime, network, this.imagePuller?.(cluster, store)), network };
      this.clusters.set(cluster.name, c);
      this.onCluster?.(c, cluster);
      return c.endpoint;
    })();
    this.starting.set(cluster.name, p);
    return p;
  }

  async setNodes(clusterName: string, nodegroupName: string, count: number, labels: Record<string, string>): Promise<void> {
    const c = this.clusters.get(clusterName);
    if (!c) return;
    const res = c.store.resource('v1', 'Node')!;
    const mine = c.store.list(res, undefined, `eks.amazonaws.com/nodegroup=${nodegroupName}`);
    for (let i = 0; i < count; i++) {
      const name = `ip-10-0-${64 + i}-${10 + nodegroupName.length}.ap-northeast-1.compute.internal-${nodegroupName}`;
      if (mine.some((n) => n.metadata.name === name)) continue;
      c.store.create(res, { apiVersion: 'v1', kind: 'Node', metadata: { name, labels: { ...labels, 'eks.amazonaws.com/nodegroup': nodegroupName, 'kubernetes.io/os': 'linux' } },
        status: { conditions: [{ type: 'Ready', status: 'True', reason: 'KubeletReady' }] } }, 'kubelet');
    }
    for (const n of mine.slice(count)) c.store.delete(res, undefined, n.metadata.name);
  }

  async destroy(clusterName: string): Promise<void> {
    const c = this.clusters.get(clusterName);
    if (!c) return;
    this.clusters.delete(clusterName);
    this.starting.delete(clusterName);
    c.network?.stop();
    await c.deployments.stop();
    await c.server.close();
  }

  async close(): Promise<void> {
    for (const name of [...this.clusters.keys()]) await this.destroy(name);
  }
}
