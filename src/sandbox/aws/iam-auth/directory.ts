// The live objects' ARNs and tags, read from the emulated services' state for the checks
// (aws:ResourceTag is the tag set of the object the request touches, as it is when AWS evaluates).
import type { AwsEmulator } from '../server.js';
import type { Ec2Service } from '../services/ec2/index.js';
import type { IamService } from '../services/iam/index.js';
import type { EksService } from '../services/eks/index.js';
import type { AcmService } from '../services/acm/index.js';
import type { EcrService } from '../services/ecr/index.js';
import type { Elbv2Service } from '../services/elbv2/index.js';
import type { ResourceDirectory } from './checks.js';

const plain = (tags: Map<string, string> | Record<string, string> | undefined): Record<string, string> | undefined =>
  tags === undefined ? undefined : tags instanceof Map ? Object.fromEntries(tags) : { ...tags };

export function emulatorDirectory(aws: AwsEmulator): ResourceDirectory {
  const ec2 = () => aws.service<Ec2Service>('ec2');
  const iam = () => aws.service<IamService>('iam').state(aws.accountId);
  const eks = (region: string) => aws.service<EksService>('eks').state(region);
  return {
    ec2Tags(region, id) {
      const s = ec2().state(region, aws.accountId);
      return plain((s.vpcs.get(id) ?? s.subnets.get(id) ?? s.internetGateways.get(id) ?? s.addresses.get(id) ?? s.natGateways.get(id) ?? s.routeTables.get(id) ?? s.securityGroups.get(id))?.tags);
    },
    ec2RouteTableOfAssociation(region, associationId) {
      for (const t of ec2().state(region, aws.accountId).routeTables.values()) if (t.associations.some((a) => a.associationId === associationId)) return t.routeTableId;
      return undefined;
    },
    iamRole(name) {
      const r = iam().roles.get(name);
      return r ? { arn: r.arn, tags: plain(r.tags) ?? {} } : undefined;
    },
    eksObject(region, kind, cluster, name) {
      const s = eks(region);
      const found = kind === 'cluster' ? s.clusters.get(cluster)
        : kind === 'nodegroup' ? [...s.nodegroups.values()].find((n) => n.clusterName === cluster && n.name === name)
          : kind === 'addon' ? [...s.addons.values()].find((a) => a.clusterName === cluster && a.name === name)
            : [...s.accessEntries.values()].find((e) => e.clusterName === cluster && e.principalArn === name);
      return found ? { arn: found.arn, tags: plain(found.tags) ?? {} } : undefined;
    },
    tagsOfArn(arn) {
      if (arn.startsWith('arn:aws:acm:')) return plain(aws.service<AcmService>('acm').certificates.get(arn)?.tags);
      if (arn.startsWith('arn:aws:ecr:')) return plain(aws.service<EcrService>('ecr').tagsOf(arn));
      if (arn.includes(':policy/')) return plain(iam().policies.get(arn)?.tags);
      if (arn.includes(':oidc-provider/')) return plain(iam().oidcProviders.get(arn)?.tags);
      if (arn.startsWith('arn:aws:eks:')) {
        const s = eks(arn.split(':')[3] ?? '');
        return plain([...s.clusters.values(), ...s.nodegroups.values(), ...s.addons.values(), ...s.accessEntries.values()].find((x) => x.arn === arn)?.tags);
      }
      if (arn.startsWith('arn:aws:elasticloadbalancing:')) return plain(aws.service<Elbv2Service>('elbv2').state(arn.split(':')[3] ?? '').tags.get(arn));
      return undefined;
    },
  };
}
