// The add-on versions EKS offers per Kubernetes version (DescribeAddonVersions), default first.
export const SUPPORTED_VERSIONS = ['1.30', '1.31', '1.32', '1.33', '1.34'];

const COREDNS: Record<string, string[]> = {
  '1.30': ['v1.11.4-eksbuild.2', 'v1.11.1-eksbuild.9'], '1.31': ['v1.11.4-eksbuild.2', 'v1.11.3-eksbuild.1'],
  '1.32': ['v1.11.4-eksbuild.2', 'v1.11.4-eksbuild.1'], '1.33': ['v1.12.1-eksbuild.2', 'v1.12.1-eksbuild.1', 'v1.11.4-eksbuild.2'],
  '1.34': ['v1.12.3-eksbuild.1', 'v1.12.1-eksbuild.2'],
};

/** Versions of an add-on compatible with a cluster version, the default one first. */
export function addonVersions(addon: string, k8s: string): string[] {
  switch (addon) {
    case 'vpc-cni': return ['v1.19.5-eksbuild.3', 'v1.19.5-eksbuild.1', 'v1.19.2-eksbuild.1', 'v1.18.6-eksbuild.1'];
    case 'coredns': return COREDNS[k8s] ?? [];
    case 'kube-proxy': return [`v${k8s}.0-eksbuild.2`, `v${k8s}.0-eksbuild.1`];
    case 'eks-pod-identity-agent': return ['v1.3.7-eksbuild.2', 'v1.3.5-eksbuild.2'];
    default: return [];
  }
}

export const ADDON_NAMES = ['vpc-cni', 'coredns', 'kube-proxy', 'eks-pod-identity-agent'];
