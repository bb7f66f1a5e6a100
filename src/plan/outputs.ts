// What a person needs once the platform exists (Terraform's outputs): the ALB's DNS name, the
// name servers to delegate the domain to, the cluster's endpoint. Read from the resources'
// outputs after apply and after every daemon plan; pure.

export interface PlatformOutputs {
  /** Each ALB the controller made (read back), by logical id. */
  loadBalancers: { id: string; dnsName: string }[];
  /** Each hosted zone and the name servers to set at the registrar. */
  nameServers: { zone: string; nameServers: string[] }[];
  clusterEndpoint: string | null;
}

const KIND_ALB = 'elbv2/alb';
const KIND_ZONE = 'route53/hosted-zone';
const KIND_CLUSTER = 'eks/cluster';

/** The outputs of the resources that exist now, from their kinds and outputs (logical id → outputs). */
export function platformOutputs(resources: Iterable<{ id: string; kind: string; outputs: Record<string, unknown> }>): PlatformOutputs {
  const out: PlatformOutputs = { loadBalancers: [], nameServers: [], clusterEndpoint: null };
  for (const r of resources) {
    const o = r.outputs;
    if (r.kind === KIND_ALB && typeof o.dnsName === 'string') out.loadBalancers.push({ id: r.id, dnsName: o.dnsName });
    if (r.kind === KIND_ZONE && Array.isArray(o.nameServers) && o.nameServers.length > 0) {
      out.nameServers.push({ zone: String(o.name ?? r.id).replace(/\.$/, ''), nameServers: o.nameServers.map(String) });
    }
    if (r.kind === KIND_CLUSTER && typeof o.endpoint === 'string' && o.endpoint) out.clusterEndpoint = o.endpoint;
  }
  return out;
}

/** The outputs as lines for a terminal, or none when nothing exists yet. */
export function outputLines(outputs: PlatformOutputs): string[] {
  const lines: string[] = [];
  for (const lb of outputs.loadBalancers) lines.push(`  load balancer ${lb.id}: ${lb.dnsName}`);
  for (const z of outputs.nameServers) lines.push(`  name servers for ${z.zone} (delegate the domain to these at its registrar): ${z.nameServers.join(' ')}`);
  if (outputs.clusterEndpoint) lines.push(`  cluster endpoint: ${outputs.clusterEndpoint}`);
  return lines.length > 0 ? ['', 'Outputs:', ...lines] : [];
}
