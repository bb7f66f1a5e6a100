// Authentication before anything else: a request signed with an access key the account does not
// have is refused the way each service refuses it, before its operation runs.

/**
 * The error each emulated service answers an unknown access key with:
 * - EC2: AuthFailure, 401, "AWS was not able to validate the provided access credentials"
 *   (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/errors-overview.html; the reference's
 *   shared/reference/aws-lifecycles-and-errors.md §2 lists AuthFailure (401)).
 * - Query and REST-XML services (IAM, STS, ELBv2, Route 53): InvalidClientTokenId, 403
 *   (https://docs.aws.amazon.com/IAM/latest/APIReference/CommonErrors.html, "The X.509
 *   certificate or AWS access key ID provided does not exist in our records").
 * - JSON services: UnrecognizedClientException, "The security token included in the request is
 *   invalid." — 400 from JSON 1.1 services such as ACM (the same answer ECR and Cognito give,
 *   aws/aws-sdk-php#1114), 403 from REST-JSON EKS.
 */
export function unknownAccessKey(service: string): { code: string; status: number; message: string } {
  if (service === 'ec2') return { code: 'AuthFailure', status: 401, message: 'AWS was not able to validate the provided access credentials' };
  const message = 'The security token included in the request is invalid.';
  if (service === 'acm') return { code: 'UnrecognizedClientException', status: 400, message };
  if (service === 'eks') return { code: 'UnrecognizedClientException', status: 403, message };
  return { code: 'InvalidClientTokenId', status: 403, message };
}
