// Shared by the EKS kinds: errors the engine should retry, and waiting for a cluster between
// updates (EKS refuses a second update while one is in progress).
import { DescribeClusterCommand, type EKSClient } from '@aws-sdk/client-eks';
import { errorName } from '../../cloud/aws-errors.js';
import { sleep } from '../../apply/retry.js';
import type { KindContext } from '../kind.js';

/** IAM changes take a while to reach EKS: these messages mean "try again shortly" (Terraform retries them for 2 min). */
const PROPAGATION = [/does not exist/, /Error in role params/, /trusted entity is not correct/, /doesn't have the Amazon EKS Managed Policies/, /IAM role's policy must include/];

/** Mark errors the engine should retry: a busy cluster, IAM propagation. */
export function retryableEks(err: unknown): unknown {
  const name = errorName(err);
  const message = (err as Error)?.message ?? '';
  if (name === 'ResourceInUseException' && /in use|status/i.test(message) || (name === 'InvalidParameterException' && PROPAGATION.some((re) => re.test(message)))) {
    return Object.assign(err as object, { retryable: true });
  }
  return err;
}

/** Wait until the cluster is ACTIVE again (between consecutive updates), with progress. */
export async function waitClusterActive(eks: EKSClient, name: string, ctx: KindContext, timeoutMs = 60 * 60_000): Promise<void> {
  const started = Date.now();
  let delay = 200;
  for (;;) {
    const c = (await eks.send(new DescribeClusterCommand({ name }))).cluster;
    if (c?.status === 'ACTIVE') return;
    if (c?.status === 'FAILED') throw new Error(`cluster ${name} FAILED: ${(c.health?.issues ?? []).map((i) => `${i.code}: ${i.message}`).join('; ')}`);
    if (Date.now() - started > timeoutMs) throw new Error(`cluster ${name} still ${c?.status} after ${Math.round((Date.now() - started) / 1000)}s`);
    ctx.progress(`cluster ${c?.status}`);
    await sleep(delay, ctx.signal);
    delay = Math.min(5_000, delay * 1.5);
  }
}
