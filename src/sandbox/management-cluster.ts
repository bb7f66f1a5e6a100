// The sandbox's management cluster: the Kubernetes API server platformd itself runs in, where its
// replicas keep their leader-election Leases (and `platformd apply` its lock). Unlike the emulated
// EKS clusters it authenticates a static bearer token (kube-apiserver --token-auth-file), so any
// kubeconfig-reading client reaches it with the file `kubeconfig()` writes.
import { randomBytes } from 'node:crypto';
import YAML from 'yaml';
import type { SandboxCa } from './ca.js';
import { KubeApiServer } from './kube/server.js';
import { KubeStore } from './kube/store.js';

export interface ManagementCluster {
  server: KubeApiServer;
  store: KubeStore;
  endpoint: string;
  token: string;
  /** A kubeconfig (YAML) for it: server, the sandbox CA inline, the static token. */
  kubeconfig(): string;
  close(): Promise<void>;
}

export async function startManagementCluster(ca: SandboxCa): Promise<ManagementCluster> {
  const store = new KubeStore();
  const token = `sandbox-management-${randomBytes(16).toString('hex')}`;
  const server = new KubeApiServer({ clusterName: 'management', ca, store, secretOf: () => undefined, version: '1.33', staticToken: token });
  const endpoint = await server.listen();
  return {
    server, store, endpoint, token,
    kubeconfig: () => YAML.stringify({
      apiVersion: 'v1', kind: 'Config', 'current-context': 'sandbox-management',
      clusters: [{ name: 'sandbox-management', cluster: { server: endpoint, 'certificate-authority-data': Buffer.from(ca.certPem).toString('base64') } }],
      users: [{ name: 'platformd', user: { token } }],
      contexts: [{ name: 'sandbox-management', context: { cluster: 'sandbox-management', user: 'platformd', namespace: 'default' } }],
    }),
    close: () => server.close(),
  };
}
