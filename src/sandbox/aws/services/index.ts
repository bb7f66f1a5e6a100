// Every emulated AWS service, registered once. Add a service here when it is built.
import type { AwsEmulator } from '../server.js';

export function registerServices(_aws: AwsEmulator): void {
  // ec2, iam, sts, eks, elbv2, acm, route53 register here as they land.
}
