// The emulated AWS Load Balancer Controller of one cluster. Like the real one it acts only while
// its Deployment (kube-system/aws-load-balancer-controller) is available, watches Ingresses of
// class alb, groups them (group.name, else one implicit group per Ingress), builds each group's
// stack and deploys it into the emulated ELBv2, records Events (FailedBuildModel,
// FailedDeployModel, SuccessfullyReconciled) and writes status.loadBalancer.ingress[0].hostname.
// It reconciles a group when its inputs change (an Ingress's spec, annotations or finalizers, a
// Service, the endpoints) — not on a timer, so ALB-side drift stays until something nudges the Ingress, as
// with the real controller's 10-hour resync. Finalizers make Ingress deletion clean up the ALB.
// With `networking` (the sandbox world) it also manages the load balancer's security groups in
// EC2 and one TargetGroupBinding per target group through the API server, and opens the nodes'
// security group to the ALB from what the bindings' spec.networking reads back
// (lbc/security-groups.ts, lbc/target-group-bindings.ts).
// With `identity` its ELBv2 and EC2 calls are made as its IRSA role (lbc/irsa.ts): credentials
// from sts:AssumeRoleWithWebIdentity with its ServiceAccount's token, each call authorised
// against the role's policies; a refusal is a FailedDeployModel Warning on the Ingress.
import { ServiceError } from '../aws/service.js';
import type { Elbv2Service } from '../aws/services/elbv2/index.js';
import type { Ec2Service } from '../aws/services/ec2/index.js';
import { BuildError, groupName } from './lbc/annotations.js';
import type { LbcClusterStore, SubnetSource } from './lbc/cluster-view.js';
import { DeployError, deleteStack, deployStack, syncTargets } from './lbc/deploy.js';
import { serviceEndpoints } from './lbc/endpoints.js';
import { buildStack, type StackModel } from './lbc/model.js';
import { keyOf, type IngressObject, type KubeObject, type ServiceObject } from './lbc/objects.js';
import { discoverSubnets } from './lbc/subnets.js';
import { deleteManagedSecurityGroup, ensureBackendSecurityGroup, ensureManagedSecurityGroup, releaseBackendSecurityGroup } from './lbc/security-groups.js';
import { desiredBindings, reconcileNetworking, syncBindings, type TargetGroupBindingStore } from './lbc/target-group-bindings.js';
import { PodCredentials, podServiceAccount, type ControllerIdentity } from './lbc/irsa.js';

const LBC_NAMESPACE = 'kube-system';
const LBC_DEPLOYMENT = 'aws-load-balancer-controller';
const IMPLICIT_FINALIZER = 'ingress.k8s.aws/resources';

export interface LoadBalancerControllerOptions {
  store: LbcClusterStore;
  elbv2: Elbv2Service;
  region: string;
  /** The EKS cluster's name and VPC (the Deployment's --cluster-name / --aws-vpc-id win when set). */
  clusterName: string;
  vpcId: () => string | undefined;
  subnets: SubnetSource;
  /** EC2 (security groups) and the cluster's TargetGroupBindings; without it neither is managed. */
  networking?: { ec2: Pick<Ec2Service, 'invoke'>; bindings: TargetGroupBindingStore };
  /** IRSA: the pod's credentials and IAM's check of each call; without it calls are not authorised. */
  identity?: ControllerIdentity;
}

export interface RunningController {
  /** Resolves once no reconcile is pending or running (tests). */
  idle(): Promise<void>;
  stop(): Promise<void>;
}

interface Group {
  stackId: string;
  explicit: boolean;
  members: IngressObject[];
  /** Ingresses carrying this group's finalizer that are leaving it (deleted, re-grouped, re-classed). */
  leaving: IngressObject[];
}

/** Finalizer the controller puts on an Ingress of a group. */
function finalizerOf(stackId: string, explicit: boolean): string {
  return explicit ? `group.ingress.k8s.aws/${stackId}` : IMPLICIT_FINALIZER;
}

function isAlbClass(ing: IngressObject): boolean {
  return ing.spec?.ingressClassName === 'alb' || ing.metadata.annotations?.['kubernetes.io/ingress.class'] === 'alb';
}

function deploymentAvailable(d: KubeObject | undefined): boolean {
  if (!d || d.metadata.deletionTimestamp) return false;
  const cond = (d.status?.conditions ?? []).find((c: any) => c.type === 'Available');
  return cond ? cond.status === 'True' : (d.status?.availableReplicas ?? 0) > 0;
}

/**
 * What of an Ingress makes the controller reconcile (its event predicates: spec via generation,
 * annotations, labels, finalizers, deletion) — not status, so writing the hostname does not loop.
 */
function watched(i: IngressObject): unknown {
  const m = i.metadata;
  return [keyOf(i), i.spec, m.annotations, m.labels, m.finalizers, m.deletionTimestamp];
}

function flag(d: KubeObject, name: string): string | undefined {
  for (const c of d.spec?.template?.spec?.containers ?? []) {
    for (const a of [...(c.args ?? []), ...(c.command ?? [])]) {
      if (typeof a === 'string' && a.startsWith(`--${name}=`)) return a.slice(name.length + 3);
    }
  }
  return undefined;
}

/** Start watching; returns handles to wait for quiescence and to stop. */
export function startLoadBalancerController(o: LoadBalancerControllerOptions): RunningController {
  const podCredentials = o.identity ? new PodCredentials(o.identity) : undefined;
  /** The access key this reconcile's calls are signed with (undefined: not under IAM). */
  let signingKey: string | undefined;
  let pod: ReturnType<typeof podServiceAccount> | undefined;
  let podKey = '';
  const call = async (op: string, input: Record<string, unknown>) => {
    if (o.identity) return o.identity.call(signingKey, 'elbv2', op, input, o.region, () => o.elbv2.invoke(op, input, o.region));
    return o.elbv2.invoke(op, input, o.region);
  };
  const net = o.networking;
  const ec2 = async (op: string, input: Record<string, unknown>) => {
    if (o.identity) return o.identity.call(signingKey, 'ec2', op, input, o.region, () => net!.ec2.invoke(op, input, o.region));
    return net!.ec2.invoke(op, input, o.region);
  };
  /** Fingerprint of each group's last handled inputs; a group is reconciled when it changes. */
  const handled = new Map<string, string>();
  /**
   * Each group's target groups as last deployed (resource id → ARN) and the targets last synced
   * into each. NOTE(tgb): in the real controller an endpoint change never rebuilds the ingress
   * group's model: the TargetGroupBinding reconciler registers and deregisters that one target
   * group's targets (targetgroupbinding/resource_manager.go). So here a change of targets alone
   * syncs only the target groups whose endpoints moved; before, every pod that became ready
   * redeployed its whole group (listeners, rules, every target group): O(services²) at scale.
   */
  const deployedTargetGroups = new Map<string, Map<string, string>>();
  const syncedTargets = new Map<string, Map<string, string>>();
  let running: Promise<void> | undefined;
  let dirty = false;
  let stopped = false;
  let retryTimer: NodeJS.Timeout | undefined;
  let retryDelay = 1000;

  let busy = false;
  const schedule = () => {
    dirty = true;
    // NOTE(reentrancy): `busy` is set before the loop starts, because a store write inside a
    // pass calls back here synchronously — before `running` has been assigned.
    if (busy || stopped) return;
    busy = true;
    running = (async () => {
      try {
        while (dirty && !stopped) {
          dirty = false;
          await pass().catch(() => undefined);
        }
      } finally {
        busy = false;
        running = undefined;
      }
    })();
  };
  const unsubscribe = o.store.onChange(() => schedule());
  schedule();

  async function pass(): Promise<void> {
    const deployment = o.store.get('Deployment', LBC_NAMESPACE, LBC_DEPLOYMENT);
    if (!deploymentAvailable(deployment)) return;
    const clusterName = flag(deployment!, 'cluster-name') ?? o.clusterName;
    const vpcId = flag(deployment!, 'aws-vpc-id') ?? o.vpcId();
    // A changed pod template is a new pod: fresh credentials, and it reconciles every group as a
    // starting controller does. The role ARN counts too: the webhook reads it when the pod is made.
    pod = podServiceAccount(deployment!, (ns, name) => o.store.get('ServiceAccount', ns, name));
    const key = JSON.stringify([deployment!.spec?.template, pod.roleArn]);
    if (key !== podKey) {
      podKey = key;
      handled.clear();
      syncedTargets.clear();
    }
    let failed = false;
    for (const group of groupsOf(o.store.list('Ingress') as IngressObject[])) {
      const ok = await reconcileGroup(group, clusterName, vpcId);
      failed ||= !ok;
    }
    if (failed && !stopped) {
      // Transient failures are retried with backoff, like the controller's requeue.
      clearTimeout(retryTimer);
      retryTimer = setTimeout(schedule, retryDelay).unref();
      retryDelay = Math.min(retryDelay * 2, 30_000);
    } else {
      retryDelay = 1000;
    }
  }

  function groupsOf(ingresses: IngressObject[]): Group[] {
    const groups = new Map<string, Group>();
    const get = (stackId: string, explicit: boolean) => {
      const g = groups.get(stackId) ?? { stackId, explicit, members: [], leaving: [] };
      groups.set(stackId, g);
      return g;
    };
    for (const ing of ingresses) {
      let target: Group | undefined;
      if (isAlbClass(ing) && !ing.metadata.deletionTimestamp) {
        try {
          const explicit = groupName(ing);
          target = explicit ? get(explicit, true) : get(keyOf(ing), false);
          target.members.push(ing);
        } catch (err) {
          void event([ing], 'Warning', 'FailedBuildModel', `Failed build model due to ${(err as Error).message}`);
        }
      }
      for (const f of ing.metadata.finalizers ?? []) {
        const explicit = f.startsWith('group.ingress.k8s.aws/');
        if (!explicit && f !== IMPLICIT_FINALIZER) continue;
        const g = get(explicit ? f.slice('group.ingress.k8s.aws/'.length) : keyOf(ing), explicit);
        if (g !== target) g.leaving.push(ing);
      }
    }
    return [...groups.values()];
  }

  async function event(ings: IngressObject[], type: 'Normal' | 'Warning', reason: string, message: string): Promise<void> {
    for (const ing of ings) await o.store.recordEvent(ing, type, reason, message).catch(() => undefined);
  }

  /** Returns false when a transient failure should be retried. */
  async function reconcileGroup(g: Group, clusterName: string, vpcId: string | undefined): Promise<boolean> {
    let stack: StackModel | undefined;
    let buildError: string | undefined;
    if (g.members.length > 0) {
      try {
        stack = buildStack({
          clusterName,
          stackId: g.stackId,
          explicit: g.explicit,
          ingresses: g.members,
          service: (ns, name) => o.store.get('Service', ns, name) as ServiceObject | undefined,
          endpoints: (ns, svc, port) => serviceEndpoints(o.store, ns, svc, port),
          subnets: (scheme) => {
            if (!vpcId) throw new BuildError('couldn\'t auto-discover subnets: the cluster VPC is unknown');
            return discoverSubnets(o.subnets(o.region), vpcId, clusterName, scheme);
          },
        });
      } catch (err) {
        if (!(err instanceof BuildError)) throw err;
        buildError = err.message;
      }
    }
    // The model without its targets (their ports stay in: named-port rules follow them); targets apart.
    const model = stack && { ...stack, targetGroups: stack.targetGroups.map((tg) => ({ ...tg, targets: [], targetPorts: [...new Set(tg.targets.map((e) => e.port))].sort() })) };
    const fingerprint = JSON.stringify([g.members.map(watched), g.leaving.map(watched), model ?? buildError]);
    const targets = new Map((stack?.targetGroups ?? []).map((tg) => [tg.resourceId, JSON.stringify(tg.targets.map((e) => `${e.ip}:${e.port}`).sort())]));
    if (handled.get(g.stackId) === fingerprint) return stack ? syncMovedTargets(g, stack, targets) : true;
    if (buildError !== undefined) {
      handled.set(g.stackId, fingerprint);
      await event(g.members, 'Warning', 'FailedBuildModel', `Failed build model due to ${buildError}`);
      return true;
    }
    const finalizer = finalizerOf(g.stackId, g.explicit);
    try {
      signingKey = podCredentials && pod ? await podCredentials.accessKey(podKey, pod) : undefined;
      for (const ing of g.members) {
        if (!(ing.metadata.finalizers ?? []).includes(finalizer)) {
          await o.store.setIngressFinalizers(ing.metadata.namespace ?? 'default', ing.metadata.name, [...(ing.metadata.finalizers ?? []), finalizer]);
        }
      }
      let hostname: string | undefined;
      if (stack) {
        if (!vpcId) throw new DeployError('InvalidConfigurationRequest', 'the cluster VPC is unknown');
        const deployed = await deployWithNetworking(g, stack, clusterName, vpcId);
        hostname = deployed.dnsName;
        deployedTargetGroups.set(g.stackId, deployed.targetGroupArns);
        syncedTargets.set(g.stackId, targets);
      } else {
        await deleteWithNetworking(g, clusterName, vpcId);
      }
      for (const ing of g.leaving) {
        await o.store.setIngressFinalizers(ing.metadata.namespace ?? 'default', ing.metadata.name, (ing.metadata.finalizers ?? []).filter((f) => f !== finalizer));
      }
      for (const ing of g.members) {
        if (ing.status?.loadBalancer?.ingress?.[0]?.hostname !== hostname && hostname) {
          await o.store.patchIngressStatus(ing.metadata.namespace ?? 'default', ing.metadata.name, { ingress: [{ hostname }] });
        }
      }
      handled.set(g.stackId, fingerprint);
      if (g.members.length > 0) await event(g.members, 'Normal', 'SuccessfullyReconciled', 'Successfully reconciled');
      return true;
    } catch (err) {
      const code = err instanceof DeployError || err instanceof ServiceError ? err.code : 'InternalError';
      await event(g.members.length > 0 ? g.members : g.leaving, 'Warning', 'FailedDeployModel', `Failed deploy model due to ${code}: ${(err as Error).message}`);
      if (err instanceof DeployError) {
        // Refused before any write (quota, protocol): retrying cannot help until the inputs change.
        handled.set(g.stackId, fingerprint);
        return true;
      }
      return false;
    }
  }

  /** Only targets moved since the group was deployed: sync the target groups whose endpoints changed (see NOTE(tgb)). */
  async function syncMovedTargets(g: Group, stack: StackModel, targets: Map<string, string>): Promise<boolean> {
    const arns = deployedTargetGroups.get(g.stackId);
    const synced = syncedTargets.get(g.stackId);
    if (!arns || !synced) return true;
    const moved = stack.targetGroups.filter((tg) => synced.get(tg.resourceId) !== targets.get(tg.resourceId) && arns.has(tg.resourceId));
    if (moved.length === 0) return true;
    try {
      signingKey = podCredentials && pod ? await podCredentials.accessKey(podKey, pod) : undefined;
      for (const tg of moved) {
        await syncTargets(call, arns.get(tg.resourceId)!, tg);
        synced.set(tg.resourceId, targets.get(tg.resourceId)!);
      }
      return true;
    } catch (err) {
      const code = err instanceof ServiceError ? err.code : 'InternalError';
      await event(g.members, 'Warning', 'FailedDeployModel', `Failed deploy model due to ${code}: ${(err as Error).message}`);
      return false;
    }
  }

  /** Security groups first (the load balancer is created with them), then the stack, then its bindings and their rules. */
  async function deployWithNetworking(g: Group, stack: StackModel, clusterName: string, vpcId: string): Promise<{ dnsName: string; targetGroupArns: Map<string, string> }> {
    if (!net) return deployStack(call, { clusterName, vpcId }, stack);
    const frontend = await ensureManagedSecurityGroup(ec2, vpcId, clusterName, g.explicit, stack);
    const backend = await ensureBackendSecurityGroup(ec2, vpcId, clusterName);
    const deployed = await deployStack(call, { clusterName, vpcId, securityGroups: [frontend, backend] }, stack);
    await syncBindings(net.bindings, g.stackId, g.explicit, desiredBindings(stack, g.explicit, deployed.targetGroupArns, backend, vpcId));
    await reconcileNetworking(ec2, net.bindings, vpcId, clusterName, namedPortResolver(stack, deployed.targetGroupArns));
    return deployed;
  }

  /** Bindings and their rules first, then the load balancer, then its groups (each refused while still in use). */
  async function deleteWithNetworking(g: Group, clusterName: string, vpcId: string | undefined): Promise<void> {
    if (!net || !vpcId) return deleteStack(call, clusterName, g.stackId);
    await syncBindings(net.bindings, g.stackId, g.explicit, []);
    await reconcileNetworking(ec2, net.bindings, vpcId, clusterName, () => []);
    await deleteStack(call, clusterName, g.stackId);
    await deleteManagedSecurityGroup(ec2, vpcId, clusterName, g.stackId);
    // The shared backend group goes once no Ingress outside this group carries a controller
    // finalizer (backend_sg_provider.go Release → isBackendSGRequired).
    const leaving = new Set(g.leaving.map(keyOf));
    const stillNeeded = (o.store.list('Ingress') as IngressObject[]).some((i) => !leaving.has(keyOf(i))
      && (i.metadata.finalizers ?? []).some((f) => f === IMPLICIT_FINALIZER || f.startsWith('group.ingress.k8s.aws/')));
    if (!stillNeeded) await releaseBackendSecurityGroup(ec2, vpcId, clusterName);
  }

  return {
    async idle() {
      for (let i = 0; i < 1000 && (busy || dirty); i++) await (running ?? new Promise((r) => setImmediate(r)));
    },
    async stop() {
      stopped = true;
      unsubscribe();
      clearTimeout(retryTimer);
      await running;
    },
  };
}

/**
 * Named target ports resolve to the ports of the pods behind the binding
 * (networking_manager.go computeNumericalPorts); here, the ports its targets are registered on.
 */
function namedPortResolver(stack: StackModel, tgArns: Map<string, string>): (tgb: KubeObject) => number[] {
  return (tgb) => {
    const tg = stack.targetGroups.find((t) => tgArns.get(t.resourceId) === tgb.spec?.targetGroupARN);
    return [...new Set((tg?.targets ?? []).map((e) => e.port))];
  };
}
