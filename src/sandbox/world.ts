// The whole emulated world in one object: the AWS endpoint with every emulated service, the
// Kubernetes API servers of emulated clusters, the controllers that act on their own, and the
// ALB data path. `platformd sandbox`, `npm start` and the tests all start it through here.
import { AwsEmulator } from './aws/server.js';
import { ScaledClock } from './clock.js';
import { registerServices } from './aws/services/index.js';
import { connectElbv2, ec2SubnetSource } from './aws/services/elbv2/connect.js';
import type { EksService } from './aws/services/eks/index.js';
import { SandboxCa } from './ca.js';
import { KubeBackend } from './kube-backend.js';
import { startManagementCluster, type ManagementCluster } from './management-cluster.js';
import { startLoadBalancerController, type RunningController } from './controllers/load-balancer-controller.js';
import { lbcStoreOf, tgbStoreOf } from './controllers/lbc/store-adapter.js';
import type { Ec2Service } from './aws/services/ec2/index.js';
import { Route53Service } from './aws/services/route53/index.js';
import { AcmService } from './aws/services/acm/index.js';
import { canonicalName } from './aws/services/route53/state.js';
import { AlbDataplane } from './dataplane/alb.js';
import { SandboxDns } from './dataplane/dns.js';
import { grpcRuntime } from './dataplane/runtime.js';
import { LoopbackAddresses } from './dataplane/loopback.js';
import { defaultProtosDir } from '../protos-dir.js';
import { IamEnforcer, iamEngineInstalled } from './aws/iam-auth/enforcer.js';
import { emulatorDirectory } from './aws/iam-auth/directory.js';
import { callerIdentity, type StsService } from './aws/services/sts/index.js';
import type { IamService } from './aws/services/iam/index.js';
import { WebIdentityFederation } from './aws/iam-auth/web-identity.js';
import { OidcIssuers } from './kube/oidc-issuer.js';
import { oidcIssuerUrl } from './aws/services/eks/wire.js';
import { irsaIdentity } from './controllers/lbc/irsa.js';
import { CNI_AGENT, instanceIdOf, startVpcCni } from './controllers/vpc-cni.js';
import { ecrImagePuller, KUBELET_AGENT } from './controllers/image-pull.js';
import type { EcrService } from './aws/services/ecr/index.js';
import { instanceProfileSessions } from './aws/iam-auth/instance-profile.js';
import { key2 } from './aws/services/eks/state.js';

export interface SandboxOptions {
  /**
   * An identity policy document enforced for platformd's own identity (the SANDBOX_CREDENTIALS
   * key): every call it signs is authorised against it, and refused as AWS refuses it. Without
   * it that identity is allowed everything.
   */
  principalPolicy?: unknown;
  /**
   * The emulated load balancer controller works as its IRSA role: its calls are authorised against
   * the role's policies (default: where the IAM engine, a devDependency, is installed).
   */
  controllerIam?: boolean;
  /** AWS endpoint port; 0 = ephemeral. */
  port?: number;
  /** Real ms per emulated ms (default 1/60: ten minutes take ten seconds); 0 = no waiting at all. */
  timeScale?: number;
  /** Port of the sandbox DNS server (default: ephemeral). */
  dnsPort?: number;
  /** Region whose ALBs get a data path (default ap-northeast-1). */
  region?: string;
  /** The .proto files the emulated pods serve (default: protos/). */
  protosDir?: string;
  /** Port the ALBs listen on (default 443 where this process may bind it, else a free port; 0 = a free port). */
  albPort?: number;
}

export interface Sandbox {
  aws: AwsEmulator;
  clock: ScaledClock;
  endpoint: string;
  ca: SandboxCa;
  /** IAM enforcement: which access keys are authorised against which policies. */
  iam: IamEnforcer;
  kube: KubeBackend;
  route53: Route53Service;
  acm: AcmService;
  dataplane: AlbDataplane;
  /** The port every ALB of this sandbox serves HTTPS on: what clients and probes must dial (--probe-port). */
  albPort: number;
  /** host:port of the DNS server answering for the emulated zones. */
  dns: string;
  /** PEM of the CA that signs every sandbox certificate (trust it to call the services). */
  caPem: string;
  /** The cluster platformd itself runs in: its leader-election Leases and apply locks (static-token kubeconfig). */
  management: ManagementCluster;
  /** Environment that points the unmodified CLI/SDK at this sandbox. */
  env(): Record<string, string>;
  close(): Promise<void>;
}

export const SANDBOX_CREDENTIALS = {
  AWS_ACCESS_KEY_ID: 'AKIASANDBOXEXAMPLE01',
  AWS_SECRET_ACCESS_KEY: 'sandbox-secret-access-key-not-a-real-secret',
};

/** The sandbox's own credentials: the emulated STS checks presigned (EKS token) signatures with them. */
function sandboxSecretOf(accessKeyId: string): string | undefined {
  return accessKeyId === SANDBOX_CREDENTIALS.AWS_ACCESS_KEY_ID ? SANDBOX_CREDENTIALS.AWS_SECRET_ACCESS_KEY : undefined;
}

export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const clock = new ScaledClock(options.timeScale ?? 1 / 60);
  // Keys the account knows: the sandbox's own, and live sessions STS issued (IRSA).
  const sts: { federation?: WebIdentityFederation } = {};
  const aws = new AwsEmulator({ clock, knowsAccessKey: (id) => sandboxSecretOf(id) !== undefined || sts.federation?.knows(id) === true });
  const ca = await SandboxCa.create();
  registerServices(aws);
  const route53 = new Route53Service(clock);
  const acm = new AcmService({ clock, ca });
  acm.hooks.cnameExists = (name, value) => {
    const zone = route53.state.zoneFor(name);
    return Boolean(zone?.records.some((r) => r.type === 'CNAME' && r.name === canonicalName(name) && (r.values ?? []).some((v) => canonicalName(v) === canonicalName(value))));
  };
  aws.register(route53).register(acm);
  const elbv2 = connectElbv2(aws, (arn) => acm.status(arn));
  const iam = new IamEnforcer(emulatorDirectory(aws));
  aws.authorizer = iam;
  const issuers = new OidcIssuers();
  const federation = new WebIdentityFederation({ iam: (account) => aws.service<IamService>('iam').state(account), verifyToken: (token) => issuers.verify(token), enforcer: iam });
  aws.service<StsService>('sts').webIdentity = federation;
  sts.federation = federation;
  if (options.principalPolicy !== undefined) {
    const platformdArn = callerIdentity({ accountId: aws.accountId, accessKeyId: SANDBOX_CREDENTIALS.AWS_ACCESS_KEY_ID }).Arn;
    await iam.enforce(SANDBOX_CREDENTIALS.AWS_ACCESS_KEY_ID, { arn: platformdArn, policies: [{ name: 'principal-policy', document: options.principalPolicy }] });
  }
  const kube = new KubeBackend(ca, sandboxSecretOf);
  // One set of loopback addresses for this process's pods and ALBs, each claimed by binding.
  const loopback = new LoopbackAddresses();
  kube.runtime = grpcRuntime(options.protosDir ?? defaultProtosDir(), loopback);
  const albView = elbv2.view(options.region ?? 'ap-northeast-1');
  acm.hooks.inUseBy = (arn) => albView.loadBalancers().filter((lb) => lb.listeners.some((l) => l.certificateArns.includes(arn))).map((lb) => lb.arn);
  const dataplane = new AlbDataplane(albView, (arn) => acm.material(arn), loopback, options.albPort ?? 443);
  const albPort = await dataplane.claimPort();
  dataplane.start();
  const dnsServer = new SandboxDns({ route53: route53.state, albAddress: (name) => dataplane.addressOf(name)?.ip });
  // Whatever fails to start (a taken port) closes what did start: nothing is left holding the
  // process open behind an error (`platformd sandbox` on a taken port exits instead of hanging).
  const closeStarted = async () => {
    await dataplane.close();
    await dnsServer.close();
    await kube.close();
  };
  const dns = await dnsServer.listen(options.dnsPort ?? 0).catch(async (err: unknown) => {
    await closeStarted();
    throw err;
  });
  const controllers: RunningController[] = [];
  const eks = aws.service<EksService>('eks');
  eks.onClusterActive = (c, state) => {
    kube.provision({ name: c.name, arn: c.arn, version: c.version, region: state.region }).then((ep) => {
      c.endpoint = ep.endpoint;
      c.caData = ep.certificateAuthorityData;
    }, () => { c.provisioning = false; });
    state.onNodegroupChanged = (n, deleted) => {
      void kube.setNodes(n.clusterName, n.name, deleted ? 0 : n.scaling.desiredSize, n.labels);
    };
  };
  const underIam = options.controllerIam ?? iamEngineInstalled();
  /** The IRSA identity of an in-cluster agent (its calls recorded under its name), or none when not under IAM. */
  const agentIdentity = (agent: string, clusterName: string, region: string) => (!underIam ? undefined : irsaIdentity({
    accountId: aws.accountId, clock, sts: federation, issuers, authorizer: iam, callLog: aws.callLog, agent,
    issuerUrl: () => {
      const c = eks.state(region).clusters.get(clusterName);
      return c ? oidcIssuerUrl(c) : undefined;
    },
  }));
  kube.onCluster = (cluster, meta) => {
    const eksState = eks.state(meta.region);
    controllers.push(startLoadBalancerController({
      store: lbcStoreOf(cluster.store), elbv2, region: meta.region, clusterName: cluster.name,
      vpcId: () => eksState.clusters.get(cluster.name)?.vpcConfig.vpcId, subnets: ec2SubnetSource(aws),
      networking: { ec2: aws.service<Ec2Service>('ec2'), bindings: tgbStoreOf(cluster.store) },
      identity: agentIdentity('aws-load-balancer-controller', cluster.name, meta.region),
    }));
  };
  const instanceProfiles = instanceProfileSessions({ accountId: aws.accountId, enforcer: iam, iam: () => aws.service<IamService>('iam').state(aws.accountId) });
  kube.podNetwork = (cluster, store) => {
    const eksState = eks.state(cluster.region);
    return startVpcCni({
      store, clusterName: cluster.name, region: cluster.region, ec2: aws.service<Ec2Service>('ec2'),
      addon: () => {
        eksState.settle();
        return eksState.addons.get(key2(cluster.name, 'vpc-cni'));
      },
      nodegroup: (name) => eksState.nodegroups.get(key2(cluster.name, name)),
      identity: agentIdentity(CNI_AGENT, cluster.name, cluster.region),
      instanceProfileKey: underIam ? instanceProfiles : undefined,
    });
  };
  kube.imagePuller = (cluster, store) => {
    const eksState = eks.state(cluster.region);
    /** The node's instance profile session (the node role of its node group); without a node, the first Ready one's. */
    const nodeKey = async (nodeName: string | undefined) => {
      if (!underIam) return undefined;
      const nodes = store.list(store.resource('v1', 'Node')!);
      const node = nodes.find((n) => n.metadata.name === nodeName) ?? nodes[0];
      const group = eksState.nodegroups.get(key2(cluster.name, String(node?.metadata.labels?.['eks.amazonaws.com/nodegroup'] ?? '')));
      return node && group ? instanceProfiles(group.nodeRole, instanceIdOf(cluster.name, node.metadata.name)) : undefined;
    };
    return ecrImagePuller({ accountId: aws.accountId, clock, ecr: aws.service<EcrService>('ecr'), nodeKey, identity: agentIdentity(KUBELET_AGENT, cluster.name, cluster.region) });
  };
  const endpoint = await aws.listen(options.port ?? 0).catch(async (err: unknown) => {
    await closeStarted();
    throw err;
  });
  const management = await startManagementCluster(ca);
  return {
    management,
    aws,
    clock,
    endpoint,
    ca,
    iam,
    kube,
    route53,
    acm,
    dataplane,
    albPort,
    dns,
    caPem: ca.certPem,
    env: () => ({
      AWS_ENDPOINT_URL: endpoint,
      AWS_REGION: 'ap-northeast-1',
      ...SANDBOX_CREDENTIALS,
    }),
    close: async () => {
      for (const c of controllers) await c.stop();
      await dataplane.close();
      await dnsServer.close();
      await kube.close();
      await management.close();
      await aws.close();
    },
  };
}
