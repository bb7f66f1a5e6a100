// One resource kind per Kubernetes kind, all alike: desired = the full manifest; applied with
// server-side apply under field manager `platformd` and labelled as ours; read back with one list
// per kind across namespaces by our label selector; only objects with our labels are ever
// deleted (pruned when the spec no longer names them).
import { PatchStrategy, type KubernetesObject } from '@kubernetes/client-node';
import { ANNOTATION_ID, MANAGER, ownershipLabels, ownershipSelector } from '../ownership.js';
import { defineKind, type DiffResult, type KindContext, type Observed, type Readiness, type TypedKind } from '../kind.js';
import { toClientModel, toWireForm } from './wire-form.js';
import { kubeId } from '../../graph/ids.js';
import { diffOwned } from './owned-diff.js';
import { classifyKubeError, isKubeNotFound } from '../../cloud/kube-errors.js';
import type { Collection, Listed } from '../../cloud/kube-watch.js';

/** A Kubernetes object: the typed envelope, and a body only the API server's schema describes. */
export interface Manifest extends KubernetesObject { [field: string]: unknown }

/** The value at a path inside a manifest, undefined where any step is missing. */
export function fieldAt(value: unknown, ...path: (string | number)[]): unknown {
  let at = value;
  for (const step of path) {
    if (typeof at !== 'object' || at === null) return undefined;
    at = (at as Record<string | number, unknown>)[step];
  }
  return at;
}

const numberAt = (value: unknown, ...path: string[]): number | undefined => {
  const at = fieldAt(value, ...path);
  return typeof at === 'number' ? at : undefined;
};

export interface KubeKindOptions {
  apiVersion: string;
  kind: string;
  /** The resource's plural: its URL segment, which a watch of the kind needs. */
  plural: string;
  namespaced: boolean;
  readiness?: (live: Manifest) => Readiness;
  readyTimeoutMs?: number;
  /**
   * For kinds another kind also reads whole (Namespaces: kube/namespace-labels scans them for its
   * marker): the run's one shared list of every object, filtered here by our labels, instead of a
   * second list by label selector. Namespaces are few; never for kinds that grow with the cluster.
   */
  sharedList?: (ctx: KindContext) => Promise<KubernetesObject[]>;
}

/** Every Namespace, listed once per run and shared (the Namespace kind and kube/namespace-labels). */
export function allNamespaces(ctx: KindContext): Promise<KubernetesObject[]> {
  return ctx.memo('kube:v1/Namespace:all', () => listCollection(ctx, { apiVersion: 'v1', kind: 'Namespace', plural: 'namespaces' }));
}

/**
 * Every object of a collection, in wire form: one paged list — or, in a daemon whose watch of the
 * collection is open and has seen every write of ours, no call at all (cloud/kube-watch.ts).
 */
export async function listCollection(ctx: KindContext, c: Collection): Promise<KubernetesObject[]> {
  const listNow = async (): Promise<Listed> => {
    const items: KubernetesObject[] = [];
    let resourceVersion = '';
    let token: string | undefined;
    do {
      const page = await withFreshToken(ctx, (api) => api.list(c.apiVersion, c.kind, undefined, undefined, undefined, undefined, undefined, c.labelSelector, 500, token));
      for (const item of page.items) items.push(toWireForm({ apiVersion: c.apiVersion, kind: c.kind, ...item } as Manifest));
      // Every page of a list is one snapshot; a watch starts from the first page's version.
      resourceVersion ||= page.metadata?.resourceVersion ?? '';
      token = page.metadata?._continue ?? (page.metadata as { continue?: string } | undefined)?.continue;
    } while (token);
    return { items, resourceVersion };
  };
  return ctx.kube.watched ? ctx.kube.watched.list(c, listNow) : (await listNow()).items;
}

/** Whether a listed object carries our ownership labels (what ownershipSelector selects). */
function selectedByOwnership(item: KubernetesObject, platform: string): boolean {
  return Object.entries(ownershipLabels(platform)).every(([key, value]) => item.metadata?.labels?.[key] === value);
}


/** The manifest as we apply it: our labels and the logical-id annotation added. */
export function owned(manifest: Manifest, platform: string, id: string): Manifest {
  return {
    ...manifest,
    metadata: {
      ...manifest.metadata,
      labels: { ...manifest.metadata?.labels, ...ownershipLabels(platform) },
      annotations: { ...manifest.metadata?.annotations, [ANNOTATION_ID]: id },
    },
  };
}

/** Pure: the changes applying `desired` would make to what platformd owns in `live` (owned-diff.ts). */
export function diffManifest(desired: Manifest, live: Manifest): DiffResult {
  return diffOwned(desired, live);
}

/** Run a call against the cluster; on 401 drop the token (it expired or was revoked) and retry once. */
export async function withFreshToken<T>(ctx: KindContext, call: (api: Awaited<ReturnType<KindContext['kube']['objects']>>) => Promise<T>): Promise<T> {
  try {
    return await call(await ctx.kube.objects());
  } catch (err) {
    if (classifyKubeError(err) !== 'unauthorized' || !ctx.kube.invalidate) throw err;
    ctx.kube.invalidate();
    return call(await ctx.kube.objects());
  }
}

export function kubeObjectKind(o: KubeKindOptions): TypedKind<Manifest, Manifest> {
  const kindName = `kube/${o.kind}`;
  const toObserved = (platform: string, live: Manifest): Observed<Manifest> => ({
    id: live.metadata?.annotations?.[ANNOTATION_ID] ?? kubeId(o.kind, live.metadata?.namespace, live.metadata!.name!),
    kind: kindName, physicalId: `${live.metadata?.namespace ? `${live.metadata.namespace}/` : ''}${live.metadata!.name}`,
    owned: live.metadata?.labels?.['platformd.dev/platform'] === platform, state: live,
    status: live.metadata?.deletionTimestamp ? 'Terminating' : 'present',
    outputs: { name: live.metadata!.name, namespace: live.metadata?.namespace, uid: live.metadata?.uid, ...(o.kind === 'Ingress' ? { hostname: fieldAt(live, 'status', 'loadBalancer', 'ingress', 0, 'hostname') } : {}) },
  });
  const apply = async (ctx: KindContext, id: string, manifest: Manifest): Promise<Observed<Manifest>> => {
    // Sent through the client's model and read back to wire form: see wire-form.ts. Whether a
    // failure is worth another try is cloud/kube-errors.ts's call (a 401 here already survived
    // one token refresh in withFreshToken, and is not retried).
    const live = await withFreshToken(ctx, (api) => api.patch(toClientModel(owned(manifest, ctx.platform, id)), undefined, undefined, MANAGER, true, PatchStrategy.ServerSideApply));
    return toObserved(ctx.platform, toWireForm(live as Manifest));
  };
  return defineKind<Manifest, Manifest>({
    kind: kindName,
    readyTimeoutMs: o.readyTimeoutMs ?? 10 * 60_000,
    observeAfter: ['eks/cluster'],
    async observeAll(ctx) {
      if (!(await ctx.kube.available())) return [];
      const out: Observed<Manifest>[] = [];
      if (o.sharedList) {
        for (const item of (await o.sharedList(ctx)).filter((i) => selectedByOwnership(i, ctx.platform))) {
          out.push(toObserved(ctx.platform, { apiVersion: o.apiVersion, kind: o.kind, ...item } as Manifest));
        }
        return out;
      }
      // One paged list per kind across all namespaces, by our label selector.
      for (const item of await listCollection(ctx, { apiVersion: o.apiVersion, kind: o.kind, plural: o.plural, labelSelector: ownershipSelector(ctx.platform) })) {
        out.push(toObserved(ctx.platform, { apiVersion: o.apiVersion, kind: o.kind, ...item } as Manifest));
      }
      return out;
    },
    diff(desired, observed) {
      return diffManifest(desired, observed.state);
    },
    create: (ctx, desired) => apply(ctx, desired.id, desired.properties),
    update: (ctx, desired) => apply(ctx, desired.id, desired.properties),
    async delete(ctx, observed) {
      if (!observed.owned) return; // never touch what is not ours
      const api = await ctx.kube.objects();
      try {
        await api.delete({ apiVersion: o.apiVersion, kind: o.kind, metadata: { name: observed.state.metadata!.name, namespace: observed.state.metadata?.namespace } });
      } catch (err) {
        if (!isKubeNotFound(err)) throw err;
      }
    },
    async refresh(ctx, observed) {
      const api = await ctx.kube.objects();
      try {
        const live = await api.read({ apiVersion: o.apiVersion, kind: o.kind, metadata: { name: observed.state.metadata!.name!, namespace: observed.state.metadata?.namespace } });
        return toObserved(ctx.platform, toWireForm(live as Manifest));
      } catch (err) {
        if (isKubeNotFound(err)) return undefined;
        throw err;
      }
    },
    ready: (observed) => (o.readiness ? o.readiness(observed.state) : true),
  });
}

/** A Deployment is ready when the controller has seen this generation and all replicas are available. */
export function deploymentReady(live: Manifest): Readiness {
  const want = numberAt(live, 'spec', 'replicas') ?? 1;
  const have = numberAt(live, 'status', 'availableReplicas') ?? 0;
  if ((numberAt(live, 'status', 'observedGeneration') ?? 0) < (live.metadata?.generation ?? 0)) return { waiting: 'Deployment rollout not observed yet' };
  return have >= want ? true : { waiting: `${have}/${want} replicas available` };
}

export function crdReady(live: Manifest): Readiness {
  const conditions = fieldAt(live, 'status', 'conditions');
  return Array.isArray(conditions) && conditions.some((c) => fieldAt(c, 'type') === 'Established' && fieldAt(c, 'status') === 'True') ? true : { waiting: 'CRD not established' };
}
