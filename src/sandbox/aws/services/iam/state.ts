// IAM state (global per account): roles under paths, customer-managed policies with versions,
// the AWS-managed policies platformd attaches, and OIDC providers.
export interface Role { name: string; path: string; arn: string; roleId: string; trust: string; created: Date; tags: Map<string, string>; attached: Set<string>; description?: string }
export interface PolicyVersion { id: string; document: string; isDefault: boolean; created: Date }
export interface ManagedPolicy { name: string; path: string; arn: string; policyId: string; versions: PolicyVersion[]; created: Date; tags: Map<string, string>; awsManaged: boolean; nextVersion: number }
export interface OidcProvider { arn: string; url: string; clientIds: string[]; thumbprints: string[]; tags: Map<string, string>; created: Date }

const AWS_MANAGED: Record<string, string> = {
  AmazonEKSClusterPolicy: '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["autoscaling:DescribeAutoScalingGroups","ec2:CreateNetworkInterface","ec2:DescribeSubnets","elasticloadbalancing:Describe*","iam:CreateServiceLinkedRole","kms:DescribeKey"],"Resource":"*"}]}',
  AmazonEKSWorkerNodePolicy: '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["ec2:DescribeInstances","ec2:DescribeRouteTables","ec2:DescribeSubnets","ec2:DescribeVpcs","eks:DescribeCluster"],"Resource":"*"}]}',
  AmazonEC2ContainerRegistryReadOnly: '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["ecr:GetAuthorizationToken","ecr:BatchCheckLayerAvailability","ecr:GetDownloadUrlForLayer","ecr:BatchGetImage"],"Resource":"*"}]}',
  // As amazon-vpc-cni-k8s docs/iam-policy.md gives it ("also available under arn:aws:iam::aws:policy/AmazonEKS_CNI_Policy"):
  // the CNI tags the interfaces it creates, so CreateNetworkInterface needs ec2:CreateTags on network-interface/*.
  AmazonEKS_CNI_Policy: '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["ec2:AssignPrivateIpAddresses","ec2:AttachNetworkInterface","ec2:CreateNetworkInterface","ec2:DeleteNetworkInterface","ec2:DescribeInstances","ec2:DescribeTags","ec2:DescribeNetworkInterfaces","ec2:DescribeInstanceTypes","ec2:DescribeSecurityGroups","ec2:DescribeSubnets","ec2:DetachNetworkInterface","ec2:ModifyNetworkInterfaceAttribute","ec2:UnassignPrivateIpAddresses"],"Resource":"*"},{"Effect":"Allow","Action":["ec2:CreateTags"],"Resource":["arn:aws:ec2:*:*:network-interface/*"]}]}',
};

export class IamState {
  readonly roles = new Map<string, Role>();
  readonly policies = new Map<string, ManagedPolicy>();
  readonly oidcProviders = new Map<string, OidcProvider>();

  constructor(readonly accountId: string) {
    for (const [name, doc] of Object.entries(AWS_MANAGED)) {
      const arn = `arn:aws:iam::aws:policy/${name}`;
      this.policies.set(arn, { name, path: '/', arn, policyId: `ANPA${name.toUpperCase().slice(0, 17)}`, versions: [{ id: 'v1', document: doc, isDefault: true, created: new Date(0) }],
        created: new Date(0), tags: new Map(), awsManaged: true, nextVersion: 2 });
    }
  }

  /** Entities attached to a policy (roles only: platformd attaches nothing to users or groups). */
  attachmentCount(policyArn: string): number {
    return [...this.roles.values()].filter((r) => r.attached.has(policyArn)).length;
  }
}
