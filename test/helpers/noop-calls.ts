// The no-op reconcile's API calls as a formula of the platform's shape — the one README's
// "No-op reconcile, call by call" mirrors; test/integration/noop-reads-flat.test.ts and the bench
// hold it equal to the measured count. Nothing in it counts resources that are not this platform's.
import type { DesiredGraph } from '../../src/graph/build.js';

export interface PlatformShape {
  /** IAM roles of the platform (iam/role nodes): ListAttachedRolePolicies each. */
  roles: number;
  /** EKS add-ons: DescribeAddon each (EKS lists names only). */
  addons: number;
  /** Managed node groups: DescribeNodegroup each. */
  nodeGroups: number;
  /** Access entries in the cluster, the creator's bootstrap admin entry included: DescribeAccessEntry each. */
  accessEntries: number;
  /** This platform's IAM OIDC providers (the cluster's issuer): GetOpenIDConnectProvider each. */
  oidcProviders: number;
  /** ALBs, one per ingress group (elbv2/alb nodes): listeners, rules, target groups each. */
  albs: number;
  /**
   * Objects of each listed Kubernetes collection (the 14 kinds, and the webhook certificate's
   * Secrets): a list is paged at 500 objects, so a kind past 500 costs a call per page.
   */
  kubeObjects: number[];
}

/** The Kubernetes kinds platformd lists (resources/kube/kube-kinds.ts) and the webhook certificate's Secrets. */
const KUBE_COLLECTIONS = ['kube/CustomResourceDefinition', 'kube/Namespace', 'kube/ServiceAccount', 'kube/ClusterRole', 'kube/ClusterRoleBinding', 'kube/Role', 'kube/RoleBinding',
  'kube/MutatingWebhookConfiguration', 'kube/ValidatingWebhookConfiguration', 'kube/Deployment', 'kube/PodDisruptionBudget', 'kube/Service', 'kube/IngressClass', 'kube/Ingress',
  'kube/webhook-certificate'];
/** client list page size (resources/kube/object-kind.ts). */
const KUBE_PAGE = 500;

/** The shape of a platform, read from its desired graph. */
export function shapeOf(graph: DesiredGraph): PlatformShape {
  const count = (kind: string) => [...graph.nodes.values()].filter((d) => d.kind === kind).length;
  return { roles: count('iam/role'), addons: count('eks/addon'), nodeGroups: count('eks/nodegroup'), accessEntries: count('eks/access-entry') + Math.min(1, count('eks/cluster')), oidcProviders: count('iam/oidc-provider'), albs: count('elbv2/alb'),
    kubeObjects: KUBE_COLLECTIONS.map(count) };
}

/**
 * Each term of a no-op reconcile of a converged platform, by service. `kubeWatched`: the daemon's
 * reconcile, whose Kubernetes lists are kept current by watches (src/cloud/kube-watch.ts) once a
 * reconcile has listed them; one-shot commands (`platformd plan`) list.
 */
export function noopCallTerms(s: PlatformShape, { kubeWatched = false } = {}): Record<string, number> {
  return {
    // DescribeVpcs, Subnets, InternetGateways, NatGateways, RouteTables, Addresses; DescribeVpcAttribute ×2 (one attribute per call).
    ec2: 6 + 2,
    ecr: 1, // DescribeRepositories
    // ListRoles, ListPolicies, ListOpenIDConnectProviders; ListAttachedRolePolicies per role;
    // GetOpenIDConnectProvider for ours (other parties' are known by ARN after one read). Policy
    // versions are cached by (ARN, version id): GetPolicyVersion 0.
    iam: 3 + s.roles + s.oidcProviders,
    // DescribeCluster by the spec's name (once per run); ListAddons, ListNodegroups, ListAccessEntries + one describe each.
    eks: 1 + (1 + s.addons) + (1 + s.nodeGroups) + (1 + s.accessEntries),
    // ListCertificates; tags by ARN and issued details cached (ListTagsForCertificate, DescribeCertificate: 0).
    acm: 1,
    // ListHostedZonesByName (the spec's domain); ListResourceRecordSets (records and the zone's NS).
    route53: 2,
    // DescribeLoadBalancers; DescribeListeners, DescribeRules, DescribeTargetGroups per ALB; DescribeTags: 0 (cached by ARN).
    elbv2: 1 + 3 * s.albs,
    // One list per Kubernetes kind (15: 14 kinds and the webhook certificate's Secrets; Namespaces
    // listed once for the kind and namespace-labels' marker scan), a call per 500 objects — none
    // while they are watched.
    kubernetes: kubeWatched ? 0 : s.kubeObjects.reduce((calls, n) => calls + Math.max(1, Math.ceil(n / KUBE_PAGE)), 0),
  };
}

export function noopCalls(s: PlatformShape, options: { kubeWatched?: boolean } = {}): number {
  return Object.values(noopCallTerms(s, options)).reduce((a, b) => a + b, 0);
}
