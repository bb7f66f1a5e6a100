// The add-on versions EKS offers per Kubernetes version (DescribeAddonVersions), default first.
// CoreDNS and kube-proxy: the "latest version of the Amazon EKS add-on type for each Kubernetes
// version" tables of https://docs.aws.amazon.com/eks/latest/userguide/managing-coredns.html and
// managing-kube-proxy.html (late 2026 edition: 1.30–1.36), with earlier builds those pages listed
// kept as older choices. vpc-cni and eks-pod-identity-agent do not depend on the cluster version.

const COREDNS: Record<string, string[]> = {
  '1.30': ['v1.11.4-eksbuild.40', 'v1.11.4-eksbuild.33'], '1.31': ['v1.11.4-eksbuild.40', 'v1.11.4-eksbuild.33'],
  '1.32': ['v1.11.4-eksbuild.40', 'v1.11.4-eksbuild.33', 'v1.11.4-eksbuild.24'], '1.33': ['v1.12.4-eksbuild.18', 'v1.12.4-eksbuild.1'],
  '1.34': ['v1.13.2-eksbuild.11', 'v1.13.2-eksbuild.4', 'v1.12.4-eksbuild.1'], '1.35': ['v1.14.3-eksbuild.3', 'v1.13.2-eksbuild.4'],
  '1.36': ['v1.14.3-eksbuild.3'],
};

const KUBE_PROXY: Record<string, string[]> = {
  '1.30': ['v1.30.14-eksbuild.28', 'v1.30.14-eksbuild.8'], '1.31': ['v1.31.14-eksbuild.20', 'v1.31.14-eksbuild.9'],
  '1.32': ['v1.32.13-eksbuild.16', 'v1.32.13-eksbuild.5', 'v1.32.9-eksbuild.2'], '1.33': ['v1.33.10-eksbuild.13', 'v1.33.10-eksbuild.2', 'v1.33.5-eksbuild.2'],
  '1.34': ['v1.34.6-eksbuild.13', 'v1.34.6-eksbuild.2', 'v1.34.1-eksbuild.2'], '1.35': ['v1.35.3-eksbuild.13', 'v1.35.3-eksbuild.2'],
  '1.36': ['v1.36.0-eksbuild.14'],
};

/** Versions of an add-on compatible with a cluster version, the default one first. */
export function addonVersions(addon: string, k8s: string): string[] {
  switch (addon) {
    case 'vpc-cni': return ['v1.19.5-eksbuild.3', 'v1.19.5-eksbuild.1', 'v1.19.2-eksbuild.1', 'v1.18.6-eksbuild.1'];
    case 'coredns': return COREDNS[k8s] ?? [];
    case 'kube-proxy': return KUBE_PROXY[k8s] ?? [];
    case 'eks-pod-identity-agent': return ['v1.3.7-eksbuild.2', 'v1.3.5-eksbuild.2'];
    default: return [];
  }
}

export const ADDON_NAMES = ['vpc-cni', 'coredns', 'kube-proxy', 'eks-pod-identity-agent'];
