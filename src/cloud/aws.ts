// One SDK client per AWS service per process. Endpoints, region and credentials come only from
// the SDK's standard chain (AWS_ENDPOINT_URL*, AWS_REGION, profiles…), so the same binary runs
// against real AWS or any emulator.
import { EC2Client } from '@aws-sdk/client-ec2';
import { IAMClient } from '@aws-sdk/client-iam';
import { STSClient } from '@aws-sdk/client-sts';
import { EKSClient } from '@aws-sdk/client-eks';
import { ACMClient } from '@aws-sdk/client-acm';
import { Route53Client } from '@aws-sdk/client-route-53';
import { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { ECRClient } from '@aws-sdk/client-ecr';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { recordApiCall } from './api-calls.js';
import { checkFence, isMutatingAwsOperation } from './fence.js';
import { classifyAwsError } from './aws-errors.js';
import { explainCallErrors } from './aws-call-errors.js';
import { withCallerHeaders } from './call-context.js';

export interface AwsClients {
  region: string;
  ec2: EC2Client;
  /**
   * EC2 without the SDK's own retries, for creates that take no client token (CreateVpc,
   * CreateSubnet, CreateInternetGateway, AllocateAddress). After a lost answer the SDK would send
   * the create again and make a second object; instead the error reaches the engine, whose retry
   * runs the kind's create again, and that first looks for the logical-id tag.
   */
  ec2SingleAttempt: EC2Client;
  iam: IAMClient;
  sts: STSClient;
  eks: EKSClient;
  acm: ACMClient;
  route53: Route53Client;
  elbv2: ElasticLoadBalancingV2Client;
  ecr: ECRClient;
}

export interface AwsClientOptions {
  region: string;
  /** Attempts per call inside the SDK (throttling and transient errors); the engine retries on top. */
  maxAttempts?: number;
  /** Per-request socket timeout. */
  requestTimeoutMs?: number;
}

const cache = new Map<string, AwsClients>();
/**
 * Client sets kept at once. A platform uses one region; POST /plan may name any region, and each
 * set costs ~250 KB, so the cache is bounded: the least recently used set is dropped, and
 * destroyed a while later so calls already in flight on it finish.
 */
export const MAX_CACHED_REGIONS = 4;
const RETIRE_AFTER_MS = 2 * 60_000;

function destroyAll(c: AwsClients): void {
  for (const client of [c.ec2, c.ec2SingleAttempt, c.iam, c.sts, c.eks, c.acm, c.route53, c.elbv2, c.ecr]) client.destroy();
}

/** How many client sets are cached now (for tests and the benchmark). */
export function cachedClientSets(): number {
  return cache.size;
}

/** The process-wide clients for a region; created on first use and reused afterwards. */
export function awsClients(options: AwsClientOptions): AwsClients {
  const key = `${options.region}|${options.maxAttempts ?? ''}|${options.requestTimeoutMs ?? ''}`;
  const hit = cache.get(key);
  if (hit) {
    cache.delete(key); // most recently used last
    cache.set(key, hit);
    return hit;
  }
  while (cache.size >= MAX_CACHED_REGIONS) {
    const [oldestKey, oldest] = cache.entries().next().value as [string, AwsClients];
    cache.delete(oldestKey);
    setTimeout(() => destroyAll(oldest), RETIRE_AFTER_MS).unref();
  }
  const config = {
    region: options.region,
    maxAttempts: options.maxAttempts ?? 5,
    retryMode: 'standard',
    requestHandler: new NodeHttpHandler({
      connectionTimeout: 5_000,
      requestTimeout: options.requestTimeoutMs ?? 30_000,
    }),
  };
  const clients: AwsClients = {
    region: options.region,
    ec2: instrument(new EC2Client(config), 'ec2'),
    ec2SingleAttempt: instrument(new EC2Client({ ...config, maxAttempts: 1 }), 'ec2'),
    // IAM and Route 53 are global services whose signing region is us-east-1.
    iam: instrument(new IAMClient({ ...config, region: 'us-east-1' }), 'iam'),
    sts: instrument(new STSClient(config), 'sts'),
    eks: instrument(new EKSClient(config), 'eks'),
    acm: instrument(new ACMClient(config), 'acm'),
    route53: instrument(new Route53Client({ ...config, region: 'us-east-1' }), 'route53'),
    elbv2: instrument(new ElasticLoadBalancingV2Client(config), 'elbv2'),
    ecr: instrument(new ECRClient(config), 'ecr'),
  };
  cache.set(key, clients);
  return clients;
}

/** Forget cached clients (tests that restart the sandbox on a new port). */
export function resetAwsClients(): void {
  for (const c of cache.values()) destroyAll(c);
  cache.clear();
}

/** A middleware around each attempt, as platformd writes them (the SDK's own types are per client). */
type AttemptMiddleware = (next: (args: unknown) => Promise<unknown>, context: { commandName?: string }) => (args: unknown) => Promise<unknown>;

interface AttemptStack {
  add(mw: AttemptMiddleware, opts: { step: 'finalizeRequest'; name: string; priority: 'high' | 'low' }): void;
}

interface Instrumentable {
  middlewareStack: object;
}

/** Count every attempt's outcome (by service and operation) for metrics and benchmarks. */
function instrument<T extends Instrumentable>(client: T, service: string): T {
  // Every client's stack takes finalizeRequest middleware; only its input/output types differ
  // per client, and these middlewares never look inside them.
  const stack = client.middlewareStack as AttemptStack;
  // Fencing (fence.ts): before every attempt of a mutating operation, so neither a first send nor
  // a retry leaves a replica that lost its leadership.
  stack.add(
    (next: (args: unknown) => Promise<unknown>, context: { commandName?: string }) => async (args: unknown) => {
      if (isMutatingAwsOperation((context.commandName ?? '').replace(/Command$/, ''))) checkFence();
      return next(args);
    },
    { step: 'finalizeRequest', name: 'platformdFence', priority: 'high' },
  );
  stack.add(
    (next: (args: unknown) => Promise<unknown>, context: { commandName?: string }) => async (args: unknown) => {
      const started = performance.now();
      const operation = (context.commandName ?? 'Unknown').replace(/Command$/, '');
      try {
        const result = await next(args);
        recordApiCall({ service, operation, outcome: 'success', durationMs: performance.now() - started });
        return result;
      } catch (err) {
        const outcome = classifyAwsError(err) === 'throttled' ? 'throttled' : 'error';
        recordApiCall({ service, operation, outcome, durationMs: performance.now() - started });
        throw err;
      }
    },
    // finalizeRequest runs inside the SDK's retry loop, so each attempt is counted.
    { step: 'finalizeRequest', name: 'platformdApiCallCounter', priority: 'low' },
  );
  return explainCallErrors(withCallerHeaders(client), service);
}
