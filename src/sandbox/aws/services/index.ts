// Every emulated AWS service, registered once. Add a service here when it is built.
import type { AwsEmulator } from '../server.js';
import { createElbv2Service } from './elbv2/index.js';
import { createEc2Service } from './ec2/index.js';

export function registerServices(aws: AwsEmulator): void {
  aws.register(createEc2Service({ clock: aws.clock, accountId: aws.accountId }));
  aws.register(createElbv2Service({ clock: aws.clock, accountId: aws.accountId }));
  // ec2, iam, sts, eks, elbv2, acm, route53 register here as they land.
}
