// The engine's public face: observe → plan → apply for a spec, used by the CLI, the daemon and
// the tests. Owned by the engine (graph/, plan/, apply/); this file only wires them together.
import type { AwsClients } from './cloud/aws.js';
import type { KubeAccess } from './cloud/kube.js';
import type { Plan } from './plan/types.js';
import type { LayerName } from './resources/registry.js';
import type { PlatformSpec } from './spec/types.js';
import type { Observed } from './resources/kind.js';
import type { ApplyEvent } from './apply/events.js';

export interface EngineOptions {
  spec: PlatformSpec;
  aws: AwsClients;
  /** Cluster access for the kube layer (default: built from the spec's EKS cluster). */
  kube?: KubeAccess;
  /** Layers this run covers (default: all). Kinds of other layers are neither observed nor changed. */
  layers?: LayerName[];
  protosDir?: string;
  signal?: AbortSignal;
  /** Typed progress events (CLI, log, metrics and /status subscribe). */
  onEvent?: (event: ApplyEvent) => void;
  /** Maximum resources worked on at once (default 8). */
  concurrency?: number;
}

export interface PlanResult {
  plan: Plan;
  /** Every live object read, by logical id (also the in-sync ones), for status and drift metrics. */
  observed: Map<string, Observed>;
}

export interface ApplyResult {
  plan: Plan;
  /** True when every change succeeded (blocked changes count as not succeeded). */
  ok: boolean;
  applied: string[];
  failed: { id: string; error: string }[];
  skipped: { id: string; because: string }[];
  durationMs: number;
}
