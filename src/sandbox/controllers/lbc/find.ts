// Find what an ingress stack already owns in ELBv2 by the controller's tags
// (elbv2.k8s.aws/cluster + ingress.k8s.aws/stack), the way the controller's tracking provider does.
import { TAG_CLUSTER, TAG_STACK } from './model.js';

/** One ELBv2 call (in-process through Elbv2Service.invoke, bound to a region). */
export type ElbCall = (operation: string, input: Record<string, unknown>) => Promise<any>;

export interface FoundResource {
  arn: string;
  name: string;
  raw: any;
  tags: Record<string, string>;
}

export interface FoundStack {
  loadBalancers: FoundResource[];
  targetGroups: FoundResource[];
}

/** Every load balancer and target group tagged for this cluster and stack. */
export async function findStack(call: ElbCall, clusterName: string, stackId: string): Promise<FoundStack> {
  const lbs = await describeAll(call, 'DescribeLoadBalancers', 'LoadBalancers');
  const tgs = await describeAll(call, 'DescribeTargetGroups', 'TargetGroups');
  const tags = await tagsOf(call, [...lbs.map((l) => l.LoadBalancerArn), ...tgs.map((t) => t.TargetGroupArn)]);
  const ours = (arn: string) => tags.get(arn)?.[TAG_CLUSTER] === clusterName && tags.get(arn)?.[TAG_STACK] === stackId;
  return {
    loadBalancers: lbs.filter((l) => ours(l.LoadBalancerArn)).map((l) => ({ arn: l.LoadBalancerArn, name: l.LoadBalancerName, raw: l, tags: tags.get(l.LoadBalancerArn)! })),
    targetGroups: tgs.filter((t) => ours(t.TargetGroupArn)).map((t) => ({ arn: t.TargetGroupArn, name: t.TargetGroupName, raw: t, tags: tags.get(t.TargetGroupArn)! })),
  };
}

async function describeAll(call: ElbCall, operation: string, member: string): Promise<any[]> {
  const out: any[] = [];
  let marker: string | undefined;
  do {
    const page = await call(operation, marker ? { Marker: marker } : {});
    out.push(...(page[member] ?? []));
    marker = page.NextMarker;
  } while (marker);
  return out;
}

async function tagsOf(call: ElbCall, arns: string[]): Promise<Map<string, Record<string, string>>> {
  const out = new Map<string, Record<string, string>>();
  for (let i = 0; i < arns.length; i += 20) {
    const page = await call('DescribeTags', { ResourceArns: arns.slice(i, i + 20) });
    for (const d of page.TagDescriptions ?? []) {
      out.set(d.ResourceArn, Object.fromEntries((d.Tags ?? []).map((t: any) => [t.Key, t.Value])));
    }
  }
  return out;
}
