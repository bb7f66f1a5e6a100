// Other people's resources in the account, for the claim that platformd's reads do not grow with
// them: ACM certificates (some for the platform's own domain), Route 53 zones, EKS clusters and
// ALBs, none tagged as platformd's, made through the real SDK clients.
import { RequestCertificateCommand } from '@aws-sdk/client-acm';
import { CreateClusterCommand } from '@aws-sdk/client-eks';
import { CreateLoadBalancerCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import { CreateHostedZoneCommand } from '@aws-sdk/client-route-53';
import type { AwsClients } from '../../src/cloud/aws.js';
import type { Observed } from '../../src/resources/kind.js';

export interface ForeignSeed {
  /** Of each kind. */
  count: number;
  /** The platform's own domain: the first `sameDomain` certificates are for it (not ours all the same). */
  domain: string;
  sameDomain: number;
}

/** `count` of each kind, in the converged platform's subnets and with its cluster role (EKS and ELBv2 need real ones). */
export async function seedForeignResources(aws: AwsClients, observed: ReadonlyMap<string, Observed>, seed: ForeignSeed): Promise<void> {
  const subnets = (tier: string) => [...observed.values()].filter((o) => o.kind === 'ec2/subnet' && o.id.includes(tier)).map((o) => o.outputs.subnetId as string);
  const clusterRole = observed.get('iam/role/cluster')!.outputs.arn as string;
  const tag = { Key: 'owner', Value: 'someone-else' };
  for (let i = 0; i < seed.count; i++) {
    await aws.acm.send(new RequestCertificateCommand({ DomainName: i < seed.sameDomain ? seed.domain : `foreign-${i}.example.org`, ValidationMethod: 'DNS',
      KeyAlgorithm: 'EC_prime256v1', IdempotencyToken: `foreign${i}`, Tags: [tag] }));
    await aws.route53.send(new CreateHostedZoneCommand({ Name: `foreign-${i}.example.org`, CallerReference: `foreign-${i}` }));
    await aws.eks.send(new CreateClusterCommand({ name: `foreign-${i}`, roleArn: clusterRole, resourcesVpcConfig: { subnetIds: subnets('private') }, tags: { owner: 'someone-else' } }));
    await aws.elbv2.send(new CreateLoadBalancerCommand({ Name: `foreign-${i}`, Subnets: subnets('public'), Type: 'application', Tags: [tag] }));
  }
}
