// EKS validates what it is given against the other emulated services, as real EKS does: the
// roles must exist in IAM and the subnets in EC2 (in at least two zones).
import type { AwsEmulator } from '../../server.js';
import type { Ec2Service } from '../ec2/index.js';
import type { IamService } from '../iam/index.js';
import type { EksService } from './index.js';

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
}
