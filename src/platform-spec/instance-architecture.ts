// Instance type → CPU architecture → the EKS managed node group AMI type.
// Sources: EC2 instance type naming ("<family><generation><processor/capability>.<size>", where
// the processor letter g means AWS Graviton), https://docs.aws.amazon.com/ec2/latest/instancetypes/instance-type-names.html;
// the Graviton families listed by aws/aws-graviton-getting-started (C6g[d], M6g[d], R6g[d], T4g,
// X2gd, C6gn, I4g, Im4gn, Is4gen, G5g, C7g[d][n], M7g[d], R7g[d], R8g …) and eksctl's ARM page
// (a1, t4g, m6g, m7g, c8g …). AMI types: AL2023_x86_64_STANDARD / AL2023_ARM_64_STANDARD in
// the EKS API's AMITypes (CreateNodegroup), https://docs.aws.amazon.com/eks/latest/APIReference/API_CreateNodegroup.html.
// AWS's authority is DescribeInstanceTypes' ProcessorInfo.SupportedArchitectures; validation
// makes no AWS call, so the naming rule stands in for it.

export type Architecture = 'x86_64' | 'arm64';

export const AMI_TYPE_BY_ARCHITECTURE: Record<Architecture, 'AL2023_x86_64_STANDARD' | 'AL2023_ARM_64_STANDARD'> = {
  x86_64: 'AL2023_x86_64_STANDARD',
  arm64: 'AL2023_ARM_64_STANDARD',
};

/**
 * Families whose processor letter is g (Graviton): the generation digit is followed by "g",
 * optionally with more capability letters (d = local NVMe, n = network, e = extra storage/memory):
 * m7g, c7gn, r7gd, t4g, r8g, x2gd, im4gn, is4gen, g5g, hpc7g, c8gn … plus a1 (the first Graviton).
 */
const GRAVITON_FAMILY = /^(a1|[a-z]+[0-9]+g[a-z]*)$/;

/** The architecture of an instance type such as "m7g.large" (family = the part before the dot). */
export function instanceArchitecture(instanceType: string): Architecture {
  const family = instanceType.split('.')[0] ?? '';
  return GRAVITON_FAMILY.test(family) ? 'arm64' : 'x86_64';
}

/** The AMI type a node group of these instance types needs, or the mix that makes one impossible. */
export function amiTypeFor(instanceTypes: string[]): { amiType: string } | { mixed: Record<Architecture, string[]> } {
  const byArch: Record<Architecture, string[]> = { x86_64: [], arm64: [] };
  for (const t of instanceTypes) byArch[instanceArchitecture(t)].push(t);
  if (byArch.x86_64.length > 0 && byArch.arm64.length > 0) return { mixed: byArch };
  return { amiType: AMI_TYPE_BY_ARCHITECTURE[byArch.arm64.length > 0 ? 'arm64' : 'x86_64'] };
}
