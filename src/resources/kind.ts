// The contract every resource kind implements (after Crossplane's ExternalClient): a batched
// observe, a pure diff, idempotent create/update/delete, and a pure readiness acceptor.
// Kinds hold no state between calls; everything they need arrives in KindContext.
import type { AwsClients } from '../cloud/aws.js';
import type { KubeAccess } from '../cloud/kube.js';
import type { DeletionCategory } from './ownership.js';
import type { OperatorAction } from './plan-values.js';
import type { ResolvedSpec } from '../platform-spec/resolved.js';

/**
 * A value that one resource produces and another consumes, known only once the producer exists
 * (a VPC id, an OIDC issuer, an ALB DNS name). It may appear anywhere inside `properties`.
 */
export interface OutputRef {
  $ref: string;
  output: string;
}

export function ref(id: string, output: string): OutputRef {
  return { $ref: id, output };
}

export function isOutputRef(value: unknown): value is OutputRef {
  return typeof value === 'object' && value !== null && typeof (value as OutputRef).$ref === 'string'
    && typeof (value as OutputRef).output === 'string';
}

/** One node of the desired graph. */
export interface Desired<P = Record<string, unknown>> {
  /** Stable, readable logical id, e.g. network/subnet/private-a. */
  id: string;
  /** Registry name of the kind, e.g. ec2/vpc. */
  kind: string;
  /** Desired properties; may contain OutputRefs, resolved before create/update. */
  properties: P;
  /** Explicit dependencies (OutputRefs add theirs implicitly). */
  dependsOn: string[];
  /** An existing resource named by the spec: observed and used, never changed or deleted. */
  readOnly?: { physicalId: string };
  /** Notes for the plan's reader (e.g. how the Ingresses were split into groups), gathered into Plan.notes. */
  notes?: string[];
}

/** One live object as a kind reads it back, normalised for diffing. */
export interface Observed<S = Record<string, unknown>> {
  /** Logical id taken from the ownership tag (or the desired id for read-only / adopted objects). */
  id: string;
  kind: string;
  /** The provider's id: vpc-…, an ARN, a Kubernetes namespace/name. */
  physicalId: string;
  /** Comparable state in the same shape as the desired properties. */
  state: S;
  /** Values other resources may reference through OutputRefs. */
  outputs: Record<string, unknown>;
  /** True when it carries this platform's ownership tags/labels. */
  owned: boolean;
  /** Lifecycle status as the service names it (CREATING, available …), for progress lines. */
  status?: string;
  /** Set by observation when another live object already holds this logical id (see plan/duplicates.ts). */
  duplicateOf?: string;
  /** The applied-digest tag platformd wrote with its last create/update (resources/applied-digest.ts), when the object carries one. */
  appliedDigest?: string;
}

/**
 * Which side moved, for a field that differs: the spec (it no longer says what platformd last
 * applied) or the live object, changed outside platformd (the spec still says what platformd last
 * applied). Judged by kinds that keep a record (managedFields, the applied-digest tag).
 */
export type FieldOrigin = 'spec' | 'outside';

export interface FieldChange {
  /** Dotted path into the properties, e.g. tags.Name or routes[0.0.0.0/0]. */
  path: string;
  old: unknown;
  new: unknown;
}

export interface DiffResult {
  fields: FieldChange[];
  /** Paths among `fields` that cannot be changed in place: the resource must be replaced. */
  replaces: string[];
  /** Field path → which side moved; a path without one (or no map) has no record to judge by. */
  origins?: Record<string, FieldOrigin>;
}

/** Outcome of ready(): true, a reason it is still waiting, or a terminal failure. */
export type Readiness = true | { waiting: string } | { failed: string };

export interface ProgressSink {
  /** A line of progress for long operations; the engine emits it as a 'progress' event for the resource worked on. */
  (message: string): void;
}

/** Everything a kind may use; built by the engine for each read of a kind and each change. */
export interface KindContext {
  platform: string;
  region: string;
  spec: ResolvedSpec;
  aws: AwsClients;
  kube: KubeAccess;
  signal: AbortSignal;
  progress: ProgressSink;
  /**
   * Share one read between kinds within a run (e.g. the hosted zones the records kind also
   * needs): the first caller's promise is returned to every later caller with the same key.
   */
  memo<T>(key: string, read: () => Promise<T>): Promise<T>;
}

/**
 * A kind's properties as a graph builder writes them: any value inside (not the object itself) may
 * instead be an OutputRef, resolved before create/update sees the plain P.
 */
export type NodeProps<P> = { [K in keyof P]: WithRefs<P[K]> };
export type WithRefs<T> = T extends OutputRef ? T
  : T extends readonly (infer E)[] ? readonly WithRefs<E>[] | OutputRef
  : T extends object ? NodeProps<T> | OutputRef
  : T | OutputRef;

/** Properties and state with their kind erased: what the registry, plan and engine hold. */
export type ErasedState = Record<string, unknown>;

/**
 * The kind contract. The defaults are the erased form (see AnyKind); kind modules name their own
 * P and S through defineKind.
 */
export interface ResourceKind<P = ErasedState, S = ErasedState> {
  readonly kind: string;
  /** Category whose deletion needs an opt-in in the spec (undefined: freely deletable). */
  readonly deletionCategory?: DeletionCategory;
  /** Per object, when it depends on live state (an ECR repository needs one only while it holds images); wins over deletionCategory. */
  readonly deletionCategoryOf?: (observed: Observed) => DeletionCategory | undefined;
  /** How long create/update may take to become ready (default 30 min, sized for real AWS). */
  readonly readyTimeoutMs?: number;
  /** How long a delete may take, riding out DependencyViolation (default 30 min). */
  readonly deleteTimeoutMs?: number;
  /**
   * Kinds whose deletions this kind's deletions wait for although they rank earlier: what uses
   * objects of this kind without being created after it (a certificate is used by the ALB the
   * controller makes of an Ingress). Deletions otherwise run in reverse kind order.
   */
  readonly deleteAfter?: string[];
  /** Kinds read in this order are observed after these kinds (e.g. add-ons need the cluster). */
  readonly observeAfter?: string[];
  /**
   * Pure, optional: what only a person can do about this resource (delegate the zone at the
   * registrar, push an image), gathered into Plan.operatorActions. `desired` is undefined when the
   * resource is no longer wanted, `observed` before it exists.
   */
  readonly operatorActions?: (desired: Desired<P> | undefined, observed: Observed<S> | undefined, ctx: { region: string }) => OperatorAction[];
  /**
   * Read every live object of this kind that this platform owns (plus read-only ones named in
   * `desired`) in as few calls as the API allows: tag filters, label selectors, paging.
   * Must never do a Get per object where a batch read exists. Must not modify anything.
   */
  observeAll(ctx: KindContext, desired: Desired<P>[]): Promise<Observed<S>[]>;
  /** Pure: what differs between the desired properties (refs resolved) and the live state. */
  diff(desired: P, observed: Observed<S>): DiffResult;
  /** Idempotent create; ownership tags in the create call itself; client tokens where the API has them. */
  create(ctx: KindContext, desired: Desired<P>): Promise<Observed<S>>;
  /** Idempotent in-place update of the listed changes. */
  update(ctx: KindContext, desired: Desired<P>, observed: Observed<S>, changes: DiffResult): Promise<Observed<S>>;
  /** Idempotent delete; a missing object is success. */
  delete(ctx: KindContext, observed: Observed<S>): Promise<void>;
  /** Re-read one object (for waiting); undefined when it no longer exists. */
  refresh(ctx: KindContext, observed: Observed<S>): Promise<Observed<S> | undefined>;
  /** Pure: whether the object is usable by its dependents. */
  ready(observed: Observed<S>): Readiness;
  /** Pure, optional: whether a deleted object is fully gone (e.g. NAT gateway state "deleted"). */
  gone?(observed: Observed<S>): boolean;
}

/** Options of a desired node beyond its id, properties and dependencies. */
export interface NodeOptions {
  /** An existing resource named by the spec: observed and used, never changed or deleted. */
  readOnly?: { physicalId: string };
  /** Notes for the plan's reader (Desired.notes). */
  notes?: string[];
}

/** A kind as its module defines it: the contract plus a typed constructor of its graph nodes. */
export interface TypedKind<P, S> extends ResourceKind<P, S> {
  /** A desired node of this kind; a property this kind does not have is a type error. */
  node(id: string, properties: NodeProps<P>, dependsOn?: readonly string[], options?: NodeOptions): Desired;
}

/** A kind with its property and state types erased, as the registry stores every kind. */
export type AnyKind = ResourceKind<ErasedState, ErasedState>;

/** Define a resource kind: the contract's methods typed by P and S, and `node` for graph builders. */
export function defineKind<P, S>(impl: ResourceKind<P, S>): TypedKind<P, S> {
  return {
    ...impl,
    node(id, properties, dependsOn = [], options = {}) {
      // The one place a node's typed properties are erased: the engine resolves its OutputRefs
      // and hands them back only to this kind (by the node's `kind`), as the P it was checked as.
      const erased = properties as unknown as ErasedState;
      return { id, kind: impl.kind, properties: erased, dependsOn: [...dependsOn], ...(options.readOnly ? { readOnly: options.readOnly } : {}),
        ...(options.notes?.length ? { notes: options.notes } : {}) };
    },
  };
}

/**
 * Erase a typed kind for the registry. Sound because the engine only ever passes a kind the
 * Desired nodes its own `node` built (refs resolved) and the Observed objects its own methods
 * returned: the registry looks kinds up by the `kind` name those carry.
 */
export function eraseKind<P, S>(kind: TypedKind<P, S>): AnyKind {
  return kind as unknown as AnyKind;
}
