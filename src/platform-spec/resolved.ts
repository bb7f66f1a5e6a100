// The spec the product works on: PlatformSpec with every setting that has a schema `default` made
// required. Only spec/defaults.ts builds one (from the schema's `default` keywords), so code that
// reads a ResolvedSpec never restates a default. Settings without a default (a layer such as
// `network` or `cluster`, an override such as `ingress.healthCheck`) stay optional: their absence
// means something. A unit test (test/unit/platform-spec/defaults.test.ts) keeps these types and the schema's
// defaults equal.
import type {
  AddonName, ClusterSpec, DeletionSpec, DomainSpec, EcrImageSpec, IngressSpec, LoadBalancerControllerSpec,
  NetworkSpec, NodeGroupSpec, PlatformSpec, ProbeSpec, ReconcileSpec, ServiceSpec,
} from './types.js';

/** T with the keys K present (no longer optional, never undefined). */
type Filled<T, K extends keyof T> = Omit<T, K> & { [P in K]-?: Exclude<T[P], undefined> };

export interface ResolvedSpec extends Omit<PlatformSpec, 'network' | 'cluster' | 'loadBalancerController' | 'ingress' | 'services' | 'domain' | 'deletion' | 'reconcile'> {
  network?: ResolvedNetwork;
  cluster?: ResolvedCluster;
  loadBalancerController: ResolvedLoadBalancerController;
  ingress: ResolvedIngress;
  /** Empty: no workloads. */
  services: ResolvedService[];
  domain?: ResolvedDomain;
  deletion: ResolvedDeletion;
  reconcile: ResolvedReconcile;
}

export type ResolvedNetwork = Filled<NetworkSpec, 'natGateways'>;

export interface ResolvedCluster extends Omit<ClusterSpec, 'upgradePolicy' | 'endpointAccess' | 'admins' | 'addons' | 'nodeGroups'> {
  upgradePolicy: NonNullable<ClusterSpec['upgradePolicy']>;
  endpointAccess: Filled<NonNullable<ClusterSpec['endpointAccess']>, 'public' | 'private' | 'publicCidrs'>;
  admins: string[];
  /** Every add-on, each with an optional pinned version (absent: EKS's default for the cluster version). */
  addons: Record<AddonName, { version?: string }>;
  nodeGroups: ResolvedNodeGroup[];
}

export type ResolvedNodeGroup = Filled<NodeGroupSpec, 'diskSize' | 'labels' | 'taints'>;

export type ResolvedLoadBalancerController = Filled<LoadBalancerControllerSpec, 'install' | 'version' | 'replicas'>;

export type ResolvedIngress = Filled<IngressSpec, 'scheme' | 'maxRulesPerGroup'>;

export type ResolvedEcrImage = Filled<EcrImageSpec, 'keepImages'>;

export type ResolvedProbe = Filled<ProbeSpec, 'request' | 'interval' | 'timeout' | 'expectedStatus' | 'redialEvery'>;

export interface ResolvedService extends Omit<ServiceSpec, 'namespace' | 'image' | 'replicas' | 'healthService' | 'env' | 'serviceAccount' | 'probe'> {
  namespace: string;
  image: string | ResolvedEcrImage;
  replicas: number;
  healthService: boolean;
  env: Record<string, string>;
  serviceAccount?: Filled<NonNullable<ServiceSpec['serviceAccount']>, 'iamPolicyArns'>;
  probe?: ResolvedProbe;
}

export interface ResolvedDomain extends Omit<DomainSpec, 'hostedZone' | 'certificate'> {
  hostedZone: { name: string; adopt: boolean; id?: never } | { id: string; name?: never; adopt?: never };
  certificate: Filled<NonNullable<DomainSpec['certificate']>, 'alternativeNames'>;
}

export type ResolvedDeletion = Filled<DeletionSpec, 'allow'>;

export type ResolvedReconcile = Filled<ReconcileSpec, 'mode' | 'pollInterval' | 'resyncInterval'>;
