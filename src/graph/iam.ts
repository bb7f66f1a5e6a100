// The IAM layer: the cluster and node roles, the cluster's OIDC provider, IRSA roles for aws-node,
// the load balancer controller and any service account a service asks for, and the controller's
// managed policy (versioned with the controller).
import { ref, type Desired } from '../resources/kind.js';
import { serviceTrust } from '../resources/iam/policy-document.js';
import { loadBalancerControllerPolicy } from '../resources/iam/lbc-policy.js';
import type { ResolvedSpec } from '../platform-spec/resolved.js';
import type { LayerBuilder } from './layers.js';
import { ecrRepositoryKind, keepLastImagesPolicy } from '../resources/iam/ecr-repository.js';
import { roleKind } from '../resources/iam/role.js';
import { oidcProviderKind } from '../resources/iam/oidc-provider.js';
import { managedPolicyKind } from '../resources/iam/managed-policy.js';
import { AWS_NODE_ROLE, CLUSTER, CLUSTER_ROLE, ecrRepositoryId, irsaRoleId, LBC_POLICY, LBC_ROLE, NODE_ROLE, OIDC_PROVIDER } from './ids.js';

const aws = (name: string) => `arn:aws:iam::aws:policy/${name}`;

function irsa(namespace: string, serviceAccount: string) {
  return { providerArn: ref(OIDC_PROVIDER, 'arn'), issuer: ref(CLUSTER, 'oidcIssuer'), namespace, serviceAccount };
}

export function buildIam(spec: ResolvedSpec): Desired[] {
  if (!spec.cluster) return [];
  const nodes: Desired[] = [
    roleKind.node(CLUSTER_ROLE, { trustPolicy: serviceTrust('eks.amazonaws.com', ['sts:AssumeRole', 'sts:TagSession']),
      managedPolicyArns: [aws('AmazonEKSClusterPolicy')], description: `EKS control plane of ${spec.cluster.name}` }),
    roleKind.node(NODE_ROLE, { trustPolicy: serviceTrust('ec2.amazonaws.com'),
      managedPolicyArns: [aws('AmazonEKSWorkerNodePolicy'), aws('AmazonEC2ContainerRegistryReadOnly')], description: `nodes of ${spec.cluster.name}` }),
    oidcProviderKind.node(OIDC_PROVIDER, { url: ref(CLUSTER, 'oidcIssuer'), clientIds: ['sts.amazonaws.com'] }),
    roleKind.node(AWS_NODE_ROLE, { irsa: irsa('kube-system', 'aws-node'),
      managedPolicyArns: [aws('AmazonEKS_CNI_Policy')], description: 'IRSA: kube-system/aws-node (VPC CNI)' }),
  ];
  const lbc = spec.loadBalancerController;
  if (lbc.install && spec.services.length > 0) {
    nodes.push(
      managedPolicyKind.node(LBC_POLICY, { document: loadBalancerControllerPolicy(lbc.version),
        description: `AWS Load Balancer Controller ${lbc.version}` }),
      roleKind.node(LBC_ROLE, { irsa: irsa('kube-system', 'aws-load-balancer-controller'),
        managedPolicyArns: [ref(LBC_POLICY, 'arn')], description: 'IRSA: kube-system/aws-load-balancer-controller' }),
    );
  }
  for (const svc of spec.services) {
    if (!svc.serviceAccount) continue;
    nodes.push(roleKind.node(irsaRoleId(svc.name), { irsa: irsa(svc.namespace, svc.serviceAccount.name),
      managedPolicyArns: svc.serviceAccount.iamPolicyArns, description: `IRSA: ${svc.namespace}/${svc.serviceAccount.name}` }));
  }
  nodes.push(...ecrRepositories(spec));
  return nodes;
}

/**
 * One ECR repository per repository the services name (services may share one): the node role's
 * AmazonEC2ContainerRegistryReadOnly lets the nodes pull from it. The lifecycle policy keeps the
 * most images any of its services asks for (default 20).
 */
export function ecrRepositories(spec: ResolvedSpec): Desired[] {
  const repos = new Map<string, { tags: Set<string>; keep: number }>();
  for (const svc of spec.services) {
    if (typeof svc.image === 'string') continue;
    const r = repos.get(svc.image.repository) ?? { tags: new Set<string>(), keep: 0 };
    r.tags.add(svc.image.tag);
    r.keep = Math.max(r.keep, svc.image.keepImages);
    repos.set(svc.image.repository, r);
  }
  return [...repos].map(([name, r]) => ecrRepositoryKind.node(ecrRepositoryId(name), {
    name, imageTagMutability: 'IMMUTABLE', scanOnPush: true, encryptionType: 'AES256', lifecyclePolicy: keepLastImagesPolicy(r.keep), imageTags: [...r.tags].sort() }));
}

export const iamLayer: LayerBuilder = { layer: 'iam', build: (spec) => buildIam(spec) };
