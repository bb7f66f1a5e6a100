// The VPC CNI (aws-node, one per node) of one emulated cluster, as a principal: while the cluster's
// vpc-cni add-on is ACTIVE each Ready node's ipamd makes the EC2 calls the real one makes
// (github.com/aws/amazon-vpc-cni-k8s pkg/awsutils/awsutils.go, read at b5218838):
// - at start, DescribeNetworkInterfaces of the instance's attached interfaces (DescribeAllENIs,
//   L1647-1691), then AssignPrivateIpAddresses on the primary interface up to the instance type's
//   IPv4 limit (AllocIPAddresses, L2044-2077);
// - while fewer addresses are free than one interface holds (WARM_ENI_TARGET=1, the default),
//   CreateNetworkInterface in the node's subnet with description aws-K8S-<instance> and the
//   node/cluster/owner tags (createENI L1125, createENITags L1054, buildENITags L1364),
//   AttachNetworkInterface at the next device index (attachENI L1023) and
//   ModifyNetworkInterfaceAttribute DeleteOnTermination=true (AllocENI L978-1004).
// Its credentials: the add-on's serviceAccountRoleArn exchanged with AssumeRoleWithWebIdentity for
// a token of kube-system/aws-node (audience sts.amazonaws.com), or without one the node's instance
// profile (the node role). A refused call leaves the node without addresses: its pods stay
// Pending (the kubelet's FailedCreatePodSandBox), the Node gets ipamd's MissingIAMPermissions
// Warning for UnauthorizedOperation (checkAPIErrorAndBroadcastEvent L2565), the add-on's health
// shows InsufficientNumberOfReplicas, and ipamd retries with backoff as kubelet restarts it.
// Not emulated: DescribeInstances for a free device index (awsGetFreeDeviceNumber L930; EC2
// instances are not emulated), prefix delegation, custom networking, IP release and ENI cleanup.
import { createHash } from 'node:crypto';
import { ServiceError } from '../aws/service.js';
import type { Ec2Service } from '../aws/services/ec2/index.js';
import { launchInstance, terminateInstance } from '../aws/services/ec2/ops-network-interfaces.js';
import type { Addon, HealthIssue, Nodegroup } from '../aws/services/eks/state.js';
import type { KubeStore } from '../kube/store.js';
import type { PodAddress, PodNetwork } from '../pod-network.js';
import type { ControllerIdentity } from './lbc/irsa.js';
import { watchReadyNodes } from './ready-nodes.js';

export const CNI_AGENT = 'aws-node';
/** ENIs per instance and IPv4 addresses per ENI (pkg/vpc/vpc_ip_resource_limit.go); others as m6i.large. */
const LIMITS: Record<string, { enis: number; ipsPerEni: number }> = {
  't3.medium': { enis: 3, ipsPerEni: 6 }, 't3.large': { enis: 3, ipsPerEni: 12 }, 'm5.large': { enis: 3, ipsPerEni: 10 }, 'm6i.large': { enis: 3, ipsPerEni: 10 },
};
const UNHEALTHY: HealthIssue = { code: 'InsufficientNumberOfReplicas', message: 'The add-on is unhealthy because it doesn\'t have the desired number of replicas.', resourceIds: [CNI_AGENT] };
const MAX_RETRY_MS = 10_000;

export interface VpcCniOptions {
  store: KubeStore;
  clusterName: string;
  region: string;
  /** The cluster's vpc-cni add-on as EKS holds it now (undefined: not installed, no CNI emulated). */
  addon: () => Addon | undefined;
  nodegroup: (name: string) => Nodegroup | undefined;
  ec2: Pick<Ec2Service, 'invoke' | 'state'>;
  /** IRSA and the authorised, recorded call (without it calls are not put under IAM). */
  identity?: Pick<ControllerIdentity, 'accessKey' | 'call'>;
  /** The instance profile's credentials for a node role (under enforcement with its policies). */
  instanceProfileKey?: (roleArn: string, instanceId: string) => Promise<string>;
}

interface NodeAgent {
  node: string;
  instanceId: string;
  enis: string[];
  free: string[];
  credentials?: { roleArn: string; accessKey: string | undefined };
  /** The instance's interfaces were set up once (they outlive an aws-node restart). */
  started: boolean;
  /** ipamd is up on this node: it serves addresses (false while aws-node restarts or cannot start). */
  initialized: boolean;
  /** The add-on's modifiedAt ipamd started under: an update rolls the DaemonSet, and ipamd starts afresh. */
  rollout?: number;
  failure?: string;
  running?: Promise<void>;
  retryDelay: number;
  retryTimer?: NodeJS.Timeout;
}

export const instanceIdOf = (cluster: string, node: string) => `i-${createHash('sha256').update(`${cluster}/${node}`).digest('hex').slice(0, 17)}`;

/** Start the cluster's CNI; it serves the kubelets' address requests until stopped. */
export function startVpcCni(o: VpcCniOptions): PodNetwork & { stop(): void } {
  const agents = new Map<string, NodeAgent>();
  const used = new Map<string, { node: string; ip: string }>();
  const listeners = new Set<() => void>();
  let stopped = false;
  const ec2State = () => o.ec2.state(o.region);

  const call = async <T>(agent: NodeAgent, operation: string, input: Record<string, unknown>): Promise<T> => {
    const run = () => o.ec2.invoke<T>(operation, input, o.region);
    if (!o.identity) return run();
    return o.identity.call(agent.credentials?.accessKey, 'ec2', operation, input, o.region, run);
  };

  async function credentialsFor(agent: NodeAgent, addon: Addon, nodeRole: string): Promise<void> {
    const roleArn = addon.serviceAccountRoleArn ?? nodeRole;
    if (agent.credentials?.roleArn === roleArn) return;
    const accessKey = !o.identity ? undefined
      : addon.serviceAccountRoleArn ? await o.identity.accessKey({ namespace: 'kube-system', serviceAccount: CNI_AGENT, roleArn })
        : await o.instanceProfileKey?.(nodeRole, agent.instanceId);
    agent.credentials = { roleArn, accessKey };
  }

  /** One ipamd pass on a node: start once, then keep one interface's worth of addresses warm. */
  async function reconcile(agent: NodeAgent): Promise<void> {
    const addon = o.addon();
    const nodeObject = o.store.tryGet(o.store.resource('v1', 'Node')!, undefined, agent.node);
    const group = o.nodegroup(String(nodeObject?.metadata.labels?.['eks.amazonaws.com/nodegroup'] ?? ''));
    const subnetId = group?.subnets[0];
    if (!addon || addon.status !== 'ACTIVE' || !group || !subnetId) {
      agent.initialized = false;
      throw new Error(`${CNI_AGENT} is not running on ${agent.node}`);
    }
    const limits = LIMITS[group.instanceTypes[0] ?? ''] ?? LIMITS['m6i.large']!;
    await credentialsFor(agent, addon, group.nodeRole);
    if (agent.started && !agent.initialized) {
      // A restarted ipamd reads back the interfaces it already holds (DescribeAllENIs).
      await call(agent, 'DescribeNetworkInterfaces', { NetworkInterfaceId: agent.enis });
    }
    if (!agent.started) {
      const primary = launchInstance(ec2State(), agent.instanceId, subnetId);
      agent.enis = [primary.networkInterfaceId];
      await call(agent, 'DescribeNetworkInterfaces', { NetworkInterfaceId: [primary.networkInterfaceId] });
      const assigned = await call<{ assignedPrivateIpAddressesSet: { privateIpAddress: string }[] }>(agent, 'AssignPrivateIpAddresses',
        { NetworkInterfaceId: primary.networkInterfaceId, SecondaryPrivateIpAddressCount: limits.ipsPerEni - 1 });
      agent.free.push(...assigned.assignedPrivateIpAddressesSet.map((a) => a.privateIpAddress));
      agent.started = true;
    }
    agent.initialized = true;
    agent.rollout = addon.modifiedAt.getTime();
    if (agent.free.length < limits.ipsPerEni - 1 && agent.enis.length < limits.enis) {
      const tags = [['node.k8s.amazonaws.com/instance_id', agent.instanceId], ['cluster.k8s.amazonaws.com/name', o.clusterName], ['eks:eni:owner', 'amazon-vpc-cni'],
        ['node.k8s.amazonaws.com/createdAt', new Date().toISOString()]].map(([Key, Value]) => ({ Key, Value }));
      const created = await call<{ networkInterface: { networkInterfaceId: string; privateIpAddressesSet: { privateIpAddress: string; primary: boolean }[] } }>(agent, 'CreateNetworkInterface', {
        SubnetId: subnetId, Description: `aws-K8S-${agent.instanceId}`, SecondaryPrivateIpAddressCount: limits.ipsPerEni - 1,
        TagSpecification: [{ ResourceType: 'network-interface', Tag: tags }] });
      const eni = created.networkInterface;
      const attached = await call<{ attachmentId: string }>(agent, 'AttachNetworkInterface', { NetworkInterfaceId: eni.networkInterfaceId, InstanceId: agent.instanceId, DeviceIndex: agent.enis.length });
      await call(agent, 'ModifyNetworkInterfaceAttribute', { NetworkInterfaceId: eni.networkInterfaceId, Attachment: { AttachmentId: attached.attachmentId, DeleteOnTermination: true } });
      agent.enis.push(eni.networkInterfaceId);
      agent.free.push(...eni.privateIpAddressesSet.filter((p) => !p.primary).map((p) => p.privateIpAddress));
    }
  }

  function failed(agent: NodeAgent, err: unknown): void {
    const reason = err instanceof ServiceError ? `${err.code}: ${err.message}` : err instanceof Error ? err.message : String(err);
    // A refused exchange is retried with a fresh token; a refused EC2 call keeps the credentials.
    if (err instanceof ServiceError && err.message.includes('AssumeRoleWithWebIdentity')) agent.credentials = undefined;
    if (reason !== agent.failure && err instanceof ServiceError) {
      const node = o.store.tryGet(o.store.resource('v1', 'Node')!, undefined, agent.node);
      if (node && err.code === 'UnauthorizedOperation') {
        const api = /perform: (ec2:\w+)/.exec(err.message)?.[1] ?? 'ec2';
        o.store.recordEvent(node, 'Warning', 'MissingIAMPermissions', `Unauthorized operation: failed to call ${api} due to missing permissions. Please refer https://github.com/aws/amazon-vpc-cni-k8s/blob/master/docs/iam-policy.md to attach relevant policy to IAM role`);
      }
    }
    agent.failure = reason;
    const addon = o.addon();
    if (addon && err instanceof ServiceError && !addon.health.some((h) => h.code === UNHEALTHY.code)) addon.health = [...addon.health, UNHEALTHY];
  }

  function kick(agent: NodeAgent): void {
    if (agent.running || stopped) return;
    agent.running = reconcile(agent).then(() => {
      agent.failure = undefined;
      agent.retryDelay = 500;
      const addon = o.addon();
      if (addon && [...agents.values()].every((a) => a.failure === undefined)) addon.health = addon.health.filter((h) => h !== UNHEALTHY && h.code !== UNHEALTHY.code);
    }, (err: unknown) => {
      failed(agent, err);
      clearTimeout(agent.retryTimer);
      agent.retryTimer = setTimeout(() => kick(agent), agent.retryDelay).unref();
      agent.retryDelay = Math.min(agent.retryDelay * 2, MAX_RETRY_MS);
    }).finally(() => {
      agent.running = undefined;
      for (const l of listeners) l();
    });
  }

  function syncAgents(): void {
    const ready = new Set(readyNodes.names());
    for (const name of ready) {
      if (agents.has(name)) continue;
      const agent: NodeAgent = { node: name, instanceId: instanceIdOf(o.clusterName, name), enis: [], free: [], started: false, initialized: false, retryDelay: 500 };
      agents.set(name, agent);
      kick(agent);
    }
    for (const [name, agent] of agents) {
      if (ready.has(name)) continue;
      clearTimeout(agent.retryTimer);
      agents.delete(name);
      // The node's instance terminates: its interfaces (DeleteOnTermination) go with it.
      if (agent.started) terminateInstance(ec2State(), agent.instanceId);
      for (const [pod, a] of used) if (a.node === name) used.delete(pod);
    }
  }

  /** An add-on update (or its removal) replaces the aws-node pods: ipamd starts again with fresh credentials. */
  function restartRolledAgents(): void {
    const addon = o.addon();
    for (const agent of agents.values()) {
      if (!agent.initialized || (addon?.status === 'ACTIVE' && addon.modifiedAt.getTime() === agent.rollout)) continue;
      agent.initialized = false;
      agent.credentials = undefined;
      kick(agent);
    }
  }

  const readyNodes = watchReadyNodes(o.store, syncAgents);
  syncAgents();

  return {
    assign(podKey): PodAddress {
      if (!o.addon()) return { ok: true };
      const held = used.get(podKey);
      if (held) return { ok: true, ip: held.ip, node: held.node };
      syncAgents();
      restartRolledAgents();
      const agent = [...agents.values()].filter((a) => a.initialized && a.free.length > 0).sort((a, b) => b.free.length - a.free.length)[0];
      const ip = agent?.free.shift();
      if (!agent || ip === undefined) {
        for (const a of agents.values()) if (!a.retryTimer || a.failure === undefined) kick(a);
        const why = [...agents.values()].map((a) => a.failure).find((f) => f !== undefined) ?? 'no free address on any node yet';
        return { ok: false, reason: `plugin type="aws-cni" name="aws-cni" failed (add): add cmd: failed to assign an IP address to container (${why})` };
      }
      used.set(podKey, { node: agent.node, ip });
      kick(agent);
      return { ok: true, ip, node: agent.node };
    },
    release(podKey) {
      const held = used.get(podKey);
      if (!held) return;
      used.delete(podKey);
      agents.get(held.node)?.free.push(held.ip);
    },
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    stop() {
      stopped = true;
      readyNodes.stop();
      for (const a of agents.values()) clearTimeout(a.retryTimer);
    },
  };
}
