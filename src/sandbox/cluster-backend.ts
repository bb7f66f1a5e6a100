// The seam between the emulated EKS control plane (sandbox/aws/services/eks) and the emulated
// Kubernetes API servers (sandbox/kube): when a cluster turns ACTIVE, EKS asks the backend for
// an API server and reports its endpoint and CA in DescribeCluster; node groups register Nodes.

export interface ClusterEndpoint {
  /** https://127.0.0.1:<port> of this cluster's API server. */
  endpoint: string;
  /** Base64 PEM of the CA that signed the API server's certificate (DescribeCluster certificateAuthority.data). */
  certificateAuthorityData: string;
}

export interface ClusterBackend {
  /** Start (or return the running) API server for a cluster. Idempotent per cluster name. */
  provision(cluster: { name: string; arn: string; version: string; region: string }): Promise<ClusterEndpoint>;
  /** A node group became ACTIVE or was resized: register exactly `count` Nodes for it. */
  setNodes(clusterName: string, nodegroupName: string, count: number, labels: Record<string, string>): Promise<void>;
  /** The cluster was deleted: stop its API server. */
  destroy(clusterName: string): Promise<void>;
}
