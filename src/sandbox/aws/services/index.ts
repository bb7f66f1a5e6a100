// Every emulated AWS service, registered once. Add a service here when it is built.
import type { AwsEmulator } from '../server.js';
import { createElbv2Service } from './elbv2/index.js';
import { createEc2Service } from './ec2/index.js';
import { IamService } from './iam/index.js';
import { StsService } from './sts/index.js';
import { createEksService } from './eks/index.js';
import { connectEks } from './eks/connect.js';
import { EcrService } from './ecr/index.js';

export function registerServices(aws: AwsEmulator): void {
  aws.register(createEc2Service({ clock: aws.clock, accountId: aws.accountId }));
  aws.register(new IamService(aws.accountId));
  aws.register(new StsService());
  aws.register(createEksService({ clock: aws.clock, accountId: aws.accountId }));
  aws.register(createElbv2Service({ clock: aws.clock, accountId: aws.accountId }));
  aws.register(new EcrService());
  connectEks(aws);
  // acm, route53 register here as they land.
}
