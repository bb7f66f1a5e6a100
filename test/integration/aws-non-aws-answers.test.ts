// What the real SDK clients (with platformd's middleware) report when the endpoint is not AWS:
// an HTML 404 or 500, an empty 404, nothing listening; and that real AWS error answers (a
// not-found, an unknown access key) still reach the kinds with their codes.
import t from 'tap';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DescribeVpcsCommand } from '@aws-sdk/client-ec2';
import { GetRoleCommand, ListRolesCommand } from '@aws-sdk/client-iam';
import { DescribeClusterCommand, ListAddonsCommand } from '@aws-sdk/client-eks';
import { ListCertificatesCommand } from '@aws-sdk/client-acm';
import { GetHostedZoneCommand, ListHostedZonesCommand } from '@aws-sdk/client-route-53';
import { DescribeLoadBalancersCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import { awsClients, resetAwsClients, type AwsClients } from '../../src/cloud/aws.js';
import { classifyAwsError } from '../../src/cloud/aws-errors.js';
import { describeError } from '../../src/errors.js';
import { SANDBOX_CREDENTIALS } from '../../src/sandbox/world.js';
import { startTestSandbox } from '../helpers/sandbox.js';

/** One call per service and wire protocol platformd speaks. */
const CALLS: [string, (c: AwsClients) => Promise<unknown>][] = [
  ['ec2:DescribeVpcs', (c) => c.ec2.send(new DescribeVpcsCommand({}))],
  ['iam:ListRoles', (c) => c.iam.send(new ListRolesCommand({}))],
  ['eks:ListAddons', (c) => c.eks.send(new ListAddonsCommand({ clusterName: 'grpc-demo' }))],
  ['acm:ListCertificates', (c) => c.acm.send(new ListCertificatesCommand({}))],
  ['route53:ListHostedZones', (c) => c.route53.send(new ListHostedZonesCommand({}))],
  ['elbv2:DescribeLoadBalancers', (c) => c.elbv2.send(new DescribeLoadBalancersCommand({}))],
];

async function listen(status: number, body: string, type = 'text/html'): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(status, { 'content-type': type });
      res.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

function clientsFor(endpoint: string): AwsClients {
  resetAwsClients();
  Object.assign(process.env, { AWS_ENDPOINT_URL: endpoint, AWS_REGION: 'ap-northeast-1' }, SANDBOX_CREDENTIALS);
  return awsClients({ region: 'ap-northeast-1', maxAttempts: 2 });
}

async function failure(call: () => Promise<unknown>): Promise<unknown> {
  try {
    await call();
  } catch (err) {
    return err;
  }
  throw new Error('the call succeeded');
}

for (const [label, status, body] of [['an HTML 404 page', 404, '<html><body><h1>Not Found</h1></body></html>'], ['an HTML 500 page', 500, '<!DOCTYPE html><html><body>Internal Server Error</body></html>'], ['an empty 404', 404, '']] as const) {
  t.test(`${label} is an endpoint problem naming the operation, the status and the endpoint`, async (t) => {
    const { server, url } = await listen(status, body);
    t.teardown(() => new Promise<void>((resolve) => server.close(() => resolve())));
    const clients = clientsFor(url);
    t.teardown(resetAwsClients);
    for (const [operation, call] of CALLS) {
      const err = await failure(() => call(clients));
      t.equal(classifyAwsError(err), 'endpoint', `${operation}: not "not found", not retried by the engine`);
      const line = describeError(err);
      t.match(line, `${operation}: HTTP ${status} from ${url} with ${body ? 'an HTML page' : 'an empty body'}`, `${operation}: ${line}`);
      t.notMatch(line, /Unexpected token|UnknownError|\n/, 'one line, no parser noise');
    }
  });
}

t.test('nothing listening is an endpoint problem naming the operation and the address', async (t) => {
  const { server, url } = await listen(200, '');
  await new Promise<void>((resolve) => server.close(() => resolve()));
  const clients = clientsFor(url);
  t.teardown(resetAwsClients);
  for (const [operation, call] of CALLS) {
    const err = await failure(() => call(clients));
    t.equal(classifyAwsError(err), 'endpoint', operation);
    t.match(describeError(err), `${operation}: cannot reach ${url}: connect ECONNREFUSED`, operation);
  }
});

t.test('real AWS answers pass through with their codes', async (t) => {
  const sb = await startTestSandbox();
  t.teardown(sb.close);
  const missing: [string, () => Promise<unknown>][] = [
    ['EKS ResourceNotFoundException (404 with a code)', () => sb.clients.eks.send(new DescribeClusterCommand({ name: 'no-such-cluster' }))],
    ['IAM NoSuchEntity (404 with a code)', () => sb.clients.iam.send(new GetRoleCommand({ RoleName: 'no-such-role' }))],
    ['Route 53 NoSuchHostedZone (404 with a code)', () => sb.clients.route53.send(new GetHostedZoneCommand({ Id: 'Z0000000000000000000' }))],
  ];
  for (const [reason, call] of missing) t.equal(classifyAwsError(await failure(call)), 'notFound', reason);

  // The sandbox refuses keys the account does not have, each service as AWS does.
  resetAwsClients();
  Object.assign(process.env, { AWS_ACCESS_KEY_ID: 'AKIAUNKNOWNKEY000001', AWS_SECRET_ACCESS_KEY: 'wrong' });
  t.teardown(() => Object.assign(process.env, SANDBOX_CREDENTIALS));
  const wrong = awsClients({ region: 'ap-northeast-1', maxAttempts: 2 });
  const expected: Record<string, string> = {
    'ec2:DescribeVpcs': 'AuthFailure', 'iam:ListRoles': 'InvalidClientTokenId', 'eks:ListAddons': 'UnrecognizedClientException',
    'acm:ListCertificates': 'UnrecognizedClientException', 'route53:ListHostedZones': 'InvalidClientTokenId', 'elbv2:DescribeLoadBalancers': 'InvalidClientTokenId',
  };
  for (const [operation, call] of CALLS) {
    const err = await failure(() => call(wrong));
    t.equal((err as Error).name, expected[operation], `${operation} refuses an unknown key with ${expected[operation]}`);
    t.equal(classifyAwsError(err), 'auth', `${operation}: a credentials problem, not retried`);
    t.match(describeError(err), `${operation}: ${expected[operation]}: `, 'the report names the operation');
  }
  t.same(sb.aws.callLog.since(0).filter((c) => c.status < 400 && c.operation === 'DescribeVpcs'), [], 'nothing was answered to the unknown key');
});
