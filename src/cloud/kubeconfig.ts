// Kubeconfig and ExecCredential documents for an EKS cluster, shaped like `aws eks
// update-kubeconfig` and `aws eks get-token` (awscli customizations/eks), with platformd itself
// as the exec credential plugin. Pure: the commands fetch the cluster and the token.
import { stringify } from 'yaml';
import type { EksToken } from './eks-token.js';

/**
 * Exec credential API versions a kubeconfig may ask for: v1 (kubectl ≥ 1.22) and v1beta1, which
 * older clients (Debian 12's kubectl 1.20) still need. v1alpha1 is gone from kubectl since 1.24.
 */
export const EXEC_API_VERSIONS = ['client.authentication.k8s.io/v1', 'client.authentication.k8s.io/v1beta1'] as const;
export type ExecApiVersion = (typeof EXEC_API_VERSIONS)[number];

export interface KubeconfigInput {
  clusterName: string;
  /** The cluster's ARN: the kubeconfig's cluster, user and context name, as update-kubeconfig names them. */
  clusterArn: string;
  /** DescribeCluster cluster.endpoint (https URL). */
  endpoint: string;
  /** DescribeCluster cluster.certificateAuthority.data (base64 PEM), passed on as-is. */
  certificateAuthorityData: string;
  region: string;
  /** The executable kubectl runs for a token (default `platformd`, found on kubectl's PATH). */
  execCommand?: string;
  execApiVersion?: ExecApiVersion;
}

/** A kubeconfig document (YAML) whose one context reaches the cluster with an exec user. */
export function renderKubeconfig(input: KubeconfigInput): string {
  const apiVersion = input.execApiVersion ?? 'client.authentication.k8s.io/v1';
  const name = input.clusterArn;
  const exec = {
    apiVersion,
    command: input.execCommand ?? 'platformd',
    args: ['token', '--cluster', input.clusterName, '--region', input.region],
    // v1 requires it (client-go rejects a v1 exec config without it); the plugin never prompts.
    ...(apiVersion === 'client.authentication.k8s.io/v1' ? { interactiveMode: 'Never' } : {}),
  };
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    preferences: {},
    clusters: [{ name, cluster: { server: input.endpoint, 'certificate-authority-data': input.certificateAuthorityData } }],
    users: [{ name, user: { exec } }],
    contexts: [{ name, context: { cluster: name, user: name } }],
    'current-context': name,
  });
}

/**
 * The ExecCredential a plugin prints: the bearer token and when it expires, in the API version
 * kubectl asked for (KUBERNETES_EXEC_INFO), else v1.
 */
export function execCredential(token: EksToken, execInfo: string | undefined): string {
  return JSON.stringify({
    kind: 'ExecCredential',
    apiVersion: requestedApiVersion(execInfo),
    spec: {},
    status: { expirationTimestamp: new Date(token.expiresAt).toISOString().replace(/\.\d{3}Z$/, 'Z'), token: token.token },
  }, null, 2);
}

/** The apiVersion in kubectl's KUBERNETES_EXEC_INFO, when it is one we speak. */
export function requestedApiVersion(execInfo: string | undefined): ExecApiVersion {
  if (execInfo) {
    try {
      const asked = (JSON.parse(execInfo) as { apiVersion?: unknown }).apiVersion;
      const known = EXEC_API_VERSIONS.find((v) => v === asked);
      if (known) return known;
    } catch { /* not JSON: answer in v1 */ }
  }
  return 'client.authentication.k8s.io/v1';
}
