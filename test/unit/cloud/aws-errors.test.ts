import t from 'tap';
import { classifyAwsError, errorName, type ErrorClass } from '../../../src/cloud/aws-errors.js';
import { AwsEndpointError, describeBody, isAwsErrorAnswer } from '../../../src/cloud/aws-call-errors.js';
import { describeError, tagOperation } from '../../../src/errors.js';

/** An error shaped as the SDK throws it: name = the wire code, $metadata.httpStatusCode. */
function sdkError(name: string, status?: number, extra: Record<string, unknown> = {}): Error {
  return Object.assign(new Error(name), { name, $metadata: { httpStatusCode: status }, ...extra });
}

t.test('classifies by the service error code, never by HTTP status alone', async (t) => {
  const cases: { reason: string; err: unknown; want: ErrorClass }[] = [
    { reason: 'EC2 says the VPC does not exist', err: sdkError('InvalidVpcID.NotFound', 400), want: 'notFound' },
    { reason: 'EKS says the cluster does not exist (REST-JSON 404 with a code)', err: sdkError('ResourceNotFoundException', 404), want: 'notFound' },
    { reason: 'IAM says the role does not exist', err: sdkError('NoSuchEntity', 404), want: 'notFound' },
    { reason: 'Route 53 says the zone does not exist', err: sdkError('NoSuchHostedZone', 404), want: 'notFound' },
    { reason: 'EC2 NAT gateways use their own unprefixed code', err: sdkError('NatGatewayNotFound', 400), want: 'notFound' },
    { reason: 'a bare 404 the SDK named "NotFound" (no AWS code in the body) is an endpoint problem', err: sdkError('NotFound', 404), want: 'endpoint' },
    { reason: 'an HTML page the JSON parser choked on is an endpoint problem, whatever the status', err: sdkError('SyntaxError', 404), want: 'endpoint' },
    { reason: 'an HTTP 500 with no AWS code ("Unknown") is an endpoint problem, not a retryable AWS fault', err: sdkError('Unknown', 500), want: 'endpoint' },
    { reason: 'a body with no code at all ("UnknownError") is an endpoint problem', err: sdkError('UnknownError', 502), want: 'endpoint' },
    { reason: 'the SDK middleware\'s own non-AWS-answer error is an endpoint problem', err: new AwsEndpointError('eks:ListAddons: HTTP 404 …', { status: 404 }), want: 'endpoint' },
    { reason: 'a refused connection, after the SDK\'s few retries, is an endpoint problem', err: new AwsEndpointError('ec2:DescribeVpcs: cannot reach …', { cause: Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }) }), want: 'endpoint' },
    { reason: 'a SyntaxError from our own code (no HTTP answer) is not blamed on the endpoint', err: new SyntaxError('Unexpected token'), want: 'terminal' },
    { reason: 'an unknown EC2 access key is a credentials problem', err: sdkError('AuthFailure', 401), want: 'auth' },
    { reason: 'an unknown IAM/STS/ELBv2/Route 53 access key is a credentials problem', err: sdkError('InvalidClientTokenId', 403), want: 'auth' },
    { reason: 'an unknown access key on a JSON service is a credentials problem', err: sdkError('UnrecognizedClientException', 400), want: 'auth' },
    { reason: 'a wrong secret is a credentials problem', err: sdkError('SignatureDoesNotMatch', 403), want: 'auth' },
    { reason: 'a missing permission is not retried', err: sdkError('AccessDeniedException', 403), want: 'auth' },
    { reason: 'EC2 throttling is retried', err: sdkError('RequestLimitExceeded', 503), want: 'throttled' },
    { reason: 'any 429 is throttling', err: sdkError('SomethingElse', 429), want: 'throttled' },
    { reason: 'an AWS 5xx with an AWS code is transient', err: sdkError('InternalError', 500), want: 'transient' },
    { reason: 'a raw socket reset (e.g. from the cluster client) stays transient', err: Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }), want: 'transient' },
    { reason: 'a new EKS endpoint whose name does not resolve yet stays transient', err: Object.assign(new Error('getaddrinfo ENOTFOUND'), { code: 'ENOTFOUND' }), want: 'transient' },
    { reason: 'a dependency blocking a delete is a conflict', err: sdkError('DependencyViolation', 400), want: 'conflict' },
    { reason: 'an EKS cluster mid-update is busy, not a conflict', err: Object.assign(sdkError('ResourceInUseException', 409), { message: 'Cluster has status UPDATING. Resource demo is in use.' }), want: 'busy' },
    { reason: 'a certificate an ALB still uses is busy until the ALB goes', err: Object.assign(sdkError('ResourceInUseException', 400), { message: 'Certificate arn:aws:acm:eu-west-1:1:certificate/x in use by arn:aws:elasticloadbalancing:…' }), want: 'busy' },
    { reason: 'an IAM role EKS cannot see yet is busy (IAM propagation)', err: Object.assign(sdkError('InvalidParameterException', 400), { message: 'Role with arn: arn:aws:iam::1:role/x, does not exist' }), want: 'busy' },
    { reason: 'a cluster with node groups attached is a conflict (a delete waits for them)', err: Object.assign(sdkError('ResourceInUseException', 409), { message: 'Cluster has nodegroups attached' }), want: 'conflict' },
    { reason: 'a cluster that already exists is a conflict, not busy', err: Object.assign(sdkError('ResourceInUseException', 409), { message: 'Cluster already exists with name: demo' }), want: 'conflict' },
    { reason: 'an invalid EKS parameter other than IAM propagation is terminal', err: Object.assign(sdkError('InvalidParameterException', 400), { message: 'Unsupported Kubernetes minor version update from 1.30 to 1.32' }), want: 'terminal' },
    { reason: 'a validation error is terminal', err: sdkError('InvalidParameterValue', 400), want: 'terminal' },
    { reason: 'a Kubernetes client error with a numeric code does not crash the classifier', err: Object.assign(new Error('HTTP-Code: 401'), { code: 401 }), want: 'terminal' },
  ];
  for (const c of cases) t.equal(classifyAwsError(c.err), c.want, c.reason);
});

t.test('errorName never returns a number', async (t) => {
  t.equal(errorName(Object.assign(new Error('x'), { code: 401 })), 'Error');
  t.equal(errorName(Object.assign(new Error('x'), { Code: 'Throttling' })), 'Throttling');
});

t.test('recognises an AWS error answer in every protocol', async (t) => {
  const cases: { reason: string; headers: Record<string, string>; body: string; want: boolean }[] = [
    { reason: 'EC2 XML error', headers: {}, body: '<Response><Errors><Error><Code>AuthFailure</Code></Error></Errors></Response>', want: true },
    { reason: 'query XML error (IAM, STS, ELBv2)', headers: {}, body: '<ErrorResponse><Error><Type>Sender</Type><Code>Throttling</Code></Error></ErrorResponse>', want: true },
    { reason: 'JSON 1.1 error (ACM)', headers: {}, body: '{"__type":"ThrottlingException","message":"slow down"}', want: true },
    { reason: 'REST-JSON error code in the header (EKS)', headers: { 'X-Amzn-ErrorType': 'ResourceNotFoundException' }, body: '', want: true },
    { reason: 'an HTML page is not', headers: { 'content-type': 'text/html' }, body: '<html><body>Not Found</body></html>', want: false },
    { reason: 'an empty body is not', headers: {}, body: '', want: false },
    { reason: 'JSON without a code is not', headers: {}, body: '{"error":"not found"}', want: false },
  ];
  for (const c of cases) t.equal(isAwsErrorAnswer(c.headers, c.body), c.want, c.reason);
  t.equal(describeBody({ 'content-type': 'text/html; charset=utf-8' }, '<h1>404</h1>'), 'an HTML page');
  t.equal(describeBody({}, '  '), 'an empty body');
  t.equal(describeBody({}, 'no route'), '"no route"');
});

t.test('a tagged error reads "operation: code: message" in reports', async (t) => {
  const err = sdkError('InvalidClientTokenId', 403);
  err.message = 'The security token included in the request is invalid.';
  tagOperation(err, 'iam:ListRoles');
  t.equal(err.name, 'InvalidClientTokenId', 'the error keeps its identity for the kinds');
  t.equal(describeError(new Error('observe iam/role failed', { cause: err })),
    'observe iam/role failed: iam:ListRoles: InvalidClientTokenId: The security token included in the request is invalid.');
});
