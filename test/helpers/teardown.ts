// What a platform leaves behind in the sandbox: every owned object, per emulated service.
import { DescribeAddressesCommand, DescribeInternetGatewaysCommand, DescribeNatGatewaysCommand, DescribeRouteTablesCommand, DescribeSecurityGroupsCommand, DescribeSubnetsCommand, DescribeVpcsCommand, type Filter } from '@aws-sdk/client-ec2';
import { ListAddonsCommand, ListClustersCommand, ListNodegroupsCommand } from '@aws-sdk/client-eks';
import { DescribeLoadBalancersCommand, DescribeTargetGroupsCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import { ListOpenIDConnectProvidersCommand, ListPoliciesCommand, ListRolesCommand } from '@aws-sdk/client-iam';
import { ListCertificatesCommand } from '@aws-sdk/client-acm';
import { ListHostedZonesCommand } from '@aws-sdk/client-route-53';
import type { AwsClients } from '../../src/cloud/aws.js';
import type { PlatformSpec } from '../../src/platform-spec/types.js';
import type { ResolvedSpec } from '../../src/platform-spec/resolved.js';
import { withDefaults } from '../../src/platform-spec/defaults.js';

/** The teardown spec of the README: only metadata, region and every deletion opt-in. */
export function teardownSpec(spec: PlatformSpec): ResolvedSpec {
  return withDefaults({ apiVersion: spec.apiVersion, kind: spec.kind, metadata: spec.metadata, region: spec.region,
    deletion: { allow: ['network', 'cluster', 'nodeGroups', 'hostedZone', 'certificate', 'iam'] } } as PlatformSpec);
}

const ownedTag = (platform: string) => [{ Name: 'tag:platformd.dev/platform', Values: [platform] }];

/**
 * Counts of what is left, by service and type (zero everywhere once a teardown is complete).
 * Besides what carries the platform's tag, the load balancer controller's own objects for the
 * platform's Ingress groups: security groups tagged elbv2.k8s.aws/cluster (with `cluster`, or
 * any cluster when not given) or ingress.k8s.aws/stack, and every ALB and target group.
 */
export async function leftovers(aws: AwsClients, platform: string, cluster?: string): Promise<Record<string, number>> {
  const Filters = ownedTag(platform);
  const groups = async (filters: Filter[]) => (await aws.ec2.send(new DescribeSecurityGroupsCommand({ Filters: filters }))).SecurityGroups ?? [];
  const controllerGroups = new Set([
    ...(await groups([cluster ? { Name: 'tag:elbv2.k8s.aws/cluster', Values: [cluster] } : { Name: 'tag-key', Values: ['elbv2.k8s.aws/cluster'] }])),
    ...(await groups([{ Name: 'tag-key', Values: ['ingress.k8s.aws/stack'] }])),
  ].map((g) => g.GroupId));
  const clusters = (await aws.eks.send(new ListClustersCommand({}))).clusters ?? [];
  const inClusters = async (list: (name: string) => Promise<number>) => (await Promise.all(clusters.map(list))).reduce((a, b) => a + b, 0);
  return {
    'ec2 vpcs': (await aws.ec2.send(new DescribeVpcsCommand({ Filters }))).Vpcs?.length ?? 0,
    'ec2 subnets': (await aws.ec2.send(new DescribeSubnetsCommand({ Filters }))).Subnets?.length ?? 0,
    'ec2 internet gateways': (await aws.ec2.send(new DescribeInternetGatewaysCommand({ Filters }))).InternetGateways?.length ?? 0,
    'ec2 NAT gateways': ((await aws.ec2.send(new DescribeNatGatewaysCommand({ Filter: Filters }))).NatGateways ?? []).filter((n) => n.State !== 'deleted').length,
    'ec2 addresses': (await aws.ec2.send(new DescribeAddressesCommand({ Filters }))).Addresses?.length ?? 0,
    'ec2 route tables': (await aws.ec2.send(new DescribeRouteTablesCommand({ Filters }))).RouteTables?.length ?? 0,
    'ec2 security groups': (await groups(Filters)).length,
    'ec2 controller security groups': controllerGroups.size,
    'iam roles': (await aws.iam.send(new ListRolesCommand({ PathPrefix: `/platformd/${platform}/` }))).Roles?.length ?? 0,
    'iam policies': (await aws.iam.send(new ListPoliciesCommand({ Scope: 'Local', PathPrefix: `/platformd/${platform}/` }))).Policies?.length ?? 0,
    'iam OIDC providers': (await aws.iam.send(new ListOpenIDConnectProvidersCommand({}))).OpenIDConnectProviderList?.length ?? 0,
    'eks clusters': clusters.length,
    'eks node groups': await inClusters(async (c) => (await aws.eks.send(new ListNodegroupsCommand({ clusterName: c }))).nodegroups?.length ?? 0),
    'eks add-ons': await inClusters(async (c) => (await aws.eks.send(new ListAddonsCommand({ clusterName: c }))).addons?.length ?? 0),
    'elbv2 load balancers': (await aws.elbv2.send(new DescribeLoadBalancersCommand({}))).LoadBalancers?.length ?? 0,
    'elbv2 target groups': (await aws.elbv2.send(new DescribeTargetGroupsCommand({}))).TargetGroups?.length ?? 0,
    'acm certificates': (await aws.acm.send(new ListCertificatesCommand({ Includes: { keyTypes: ['RSA_2048', 'EC_prime256v1'] } }))).CertificateSummaryList?.length ?? 0,
    'route53 hosted zones': (await aws.route53.send(new ListHostedZonesCommand({}))).HostedZones?.length ?? 0,
  };
}
