// The typed model of platform.yaml. schema/platform.schema.json is the source of truth; a unit
// test (test/unit/platform-spec/types-sync.test.ts) fails when these types and the schema disagree.
// Optional fields here are optional in the schema; the loader fills the schema's defaults in
// (platform-spec/defaults.ts), and the rest of the code reads that ResolvedSpec (platform-spec/resolved.ts).

/** A duration written as a number with a unit: "500ms", "30s", "1m", "1h". */
export type Duration = string;

export interface PlatformSpec {
  apiVersion: 'platformd.dev/v1alpha1';
  kind: 'Platform';
  metadata: { name: string };
  region: string;
  /** Absent: no network layer (a torn-down platform, or one being torn down). */
  network?: NetworkSpec;
  /** Absent: no EKS cluster. Requires `network`. */
  cluster?: ClusterSpec;
  loadBalancerController?: LoadBalancerControllerSpec;
  ingress?: IngressSpec;
  /** Absent or empty: no workloads. Requires `cluster`. */
  services?: ServiceSpec[];
  domain?: DomainSpec;
  deletion?: DeletionSpec;
  reconcile?: ReconcileSpec;
}

export interface NetworkSpec {
  /** Create a VPC with this CIDR, or use an existing VPC by id (read-only). */
  vpc: { cidr: string; id?: never } | { id: string; cidr?: never };
  subnets: {
    public: SubnetSpec[];
    private: SubnetSpec[];
  };
  /** single: one NAT gateway in the first public subnet; perZone: one per zone; none: no egress. */
  natGateways?: 'single' | 'perZone' | 'none';
}

/** A subnet: created from name+zone+cidr, or an existing one named by id (read-only). */
export interface SubnetSpec {
  name: string;
  zone: string;
  cidr?: string;
  id?: string;
}

export interface ClusterSpec {
  name: string;
  version: string;
  /** EKS upgrade policy (UpgradePolicyRequest.supportType); default STANDARD. */
  upgradePolicy?: 'STANDARD' | 'EXTENDED';
  endpointAccess?: { public?: boolean; private?: boolean; publicCidrs?: string[] };
  /** IAM role or user ARNs that get an access entry with AmazonEKSClusterAdminPolicy. */
  admins?: string[];
  addons?: Partial<Record<AddonName, { version?: string }>>;
  nodeGroups: NodeGroupSpec[];
}

export type AddonName = 'vpc-cni' | 'coredns' | 'kube-proxy' | 'eks-pod-identity-agent';

export interface NodeGroupSpec {
  name: string;
  instanceTypes: string[];
  scaling: { min: number; desired: number; max: number };
  diskSize?: number;
  labels?: Record<string, string>;
  taints?: { key: string; value?: string; effect: 'NO_SCHEDULE' | 'NO_EXECUTE' | 'PREFER_NO_SCHEDULE' }[];
}

export interface LoadBalancerControllerSpec {
  /** false when the cluster already runs a load balancer controller that platformd must not manage. */
  install?: boolean;
  version?: string;
  replicas?: number;
}

export interface IngressSpec {
  scheme?: 'internet-facing' | 'internal';
  /** Override the gRPC health check the ALB runs against every target group. */
  healthCheck?: { path?: string; successCodes?: string; interval?: Duration; timeout?: Duration };
  /** Maximum rules per ingress group before services spill into the next group (ALB quota: 100). */
  maxRulesPerGroup?: number;
}

export interface EcrImageSpec {
  repository: string;
  tag: string;
  /** Images the repository's lifecycle policy keeps (newest first; default 20). */
  keepImages?: number;
}

export interface ServiceSpec {
  name: string;
  namespace?: string;
  /** An image reference, or an ECR repository platformd owns and the tag to run from it. */
  image: string | EcrImageSpec;
  port: number;
  replicas?: number;
  resources?: {
    requests?: { cpu?: string; memory?: string };
    limits?: { cpu?: string; memory?: string };
  };
  /** Fully qualified proto service, e.g. "routeguide.RouteGuide"; must exist under protos/. */
  grpcService: string;
  /** The server implements grpc.health.v1.Health (enables gRPC readiness/liveness probes). */
  healthService?: boolean;
  env?: Record<string, string>;
  /** A service account with an IRSA role; policies are managed policy ARNs. */
  serviceAccount?: { name: string; iamPolicyArns?: string[] };
  probe?: ProbeSpec;
}

export interface ProbeSpec {
  /** Method name on the service, e.g. "GetFeature". */
  method: string;
  /** The request message as JSON (proto3 JSON mapping). */
  request?: Record<string, unknown>;
  interval?: Duration;
  timeout?: Duration;
  /** Expected gRPC status code name, e.g. "OK" or "NOT_FOUND". */
  expectedStatus?: GrpcStatusName;
  /** Dial a new connection after this many probes on one (DNS, TLS and ALB node changes are seen). */
  redialEvery?: number;
}

export type GrpcStatusName =
  | 'OK' | 'CANCELLED' | 'UNKNOWN' | 'INVALID_ARGUMENT' | 'DEADLINE_EXCEEDED' | 'NOT_FOUND'
  | 'ALREADY_EXISTS' | 'PERMISSION_DENIED' | 'RESOURCE_EXHAUSTED' | 'FAILED_PRECONDITION'
  | 'ABORTED' | 'OUT_OF_RANGE' | 'UNIMPLEMENTED' | 'INTERNAL' | 'UNAVAILABLE' | 'DATA_LOSS'
  | 'UNAUTHENTICATED';

export interface DomainSpec {
  /** The public name clients dial, e.g. grpc.example.com. */
  name: string;
  /** Create a zone with this name, or adopt an existing one by name or id. */
  hostedZone: { name: string; adopt?: boolean; id?: never } | { id: string; name?: never; adopt?: never };
  certificate?: { alternativeNames?: string[] };
}

/** Opt-ins for deleting stateful infrastructure; without them such deletions are blocked. */
export interface DeletionSpec {
  allow?: ('network' | 'cluster' | 'nodeGroups' | 'hostedZone' | 'certificate' | 'iam' | 'repositories')[];
}

export interface ReconcileSpec {
  mode?: 'apply' | 'detect';
  pollInterval?: Duration;
  resyncInterval?: Duration;
}
