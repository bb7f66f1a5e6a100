// EKS validates what it is given against the other emulated services, as real EKS does: the
// roles must exist in IAM and the subnets in EC2 (in at least two zones). And EC2 holds the
// cluster security group EKS creates with each cluster and deletes with it.
import type { AwsEmulator } from '../../server.js';
import type { Ec2Service } from '../ec2/index.js';
import type { IamService } from '../iam/index.js';
import type { EksService } from './index.js';
import { clusterSecurityGroupId } from './wire.js';

export function connectEks(aws: AwsEmulator): void {
  const eks = aws.service<EksService>('eks');
  const iam = aws.service<IamService>('iam');
  const ec2 = aws.service<Ec2Service>('ec2');
  eks.hooks.roleExists = (accountId, roleArn) => [...iam.state(accountId).roles.values()].some((r) => r.arn === roleArn);
  eks.hooks.subnetZones = (region, ids) => {
    const s = ec2.state(region);
    return ids.flatMap((id) => {
      const subnet = s.subnets.get(id);
      return subnet ? [{ subnetId: id, zone: subnet.az, vpcId: subnet.vpcId }] : [];
    });
  };
  // https://docs.aws.amazon.com/eks/latest/userguide/sec-group-reqs.html: "eks-cluster-sg-<cluster>-<id>",
  // tagged kubernetes.io/cluster/<name>=owned and aws:eks:cluster-name; managed node groups'
  // nodes (and so their pods' ENIs) carry it.
  ec2.hooks.serviceSecurityGroups = (region) => [...eks.state(region).clusters.values()]
    .filter((c) => c.vpcConfig.vpcId !== undefined)
    .map((c) => ({
      groupId: clusterSecurityGroupId(c), groupName: `eks-cluster-sg-${c.name}-${parseInt(c.oidcId.slice(0, 8), 16) || 1}`,
      description: 'EKS created security group applied to ENI that is attached to EKS Control Plane master nodes, as well as any managed workloads.',
      vpcId: c.vpcConfig.vpcId!, managedBy: `eks:${c.name}`,
      tags: { Name: `eks-cluster-sg-${c.name}`, 'aws:eks:cluster-name': c.name, [`kubernetes.io/cluster/${c.name}`]: 'owned' },
    }));
}
