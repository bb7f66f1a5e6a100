// Ready endpoints behind a Service port, the way the controller's target registration finds
// them: EndpointSlices labelled kubernetes.io/service-name (ready endpoints only); where a
// cluster has no EndpointSlices for the Service, the ready Pods its selector matches.
import type { LbcClusterStore } from './cluster-view.js';
import type { Endpoint, KubeObject, ServiceObject } from './objects.js';

export function serviceEndpoints(store: LbcClusterStore, namespace: string, svc: ServiceObject, servicePort: number): Endpoint[] {
  const sp = (svc.spec?.ports ?? []).find((p) => p.port === servicePort);
  if (!sp) return [];
  const slices = store.list('EndpointSlice', namespace, { 'kubernetes.io/service-name': svc.metadata.name }).filter((s) => s.metadata.labels?.['kubernetes.io/service-name'] === svc.metadata.name);
  if (slices.length > 0) {
    const out: Endpoint[] = [];
    for (const slice of slices as (KubeObject & { endpoints?: any[]; ports?: any[] })[]) {
      const port = (slice.ports ?? []).find((p: any) => (sp.name ? p.name === sp.name : true))?.port;
      if (typeof port !== 'number') continue;
      for (const e of slice.endpoints ?? []) {
        if (e.conditions?.ready === false) continue;
        for (const ip of (e.addresses ?? []).slice(0, 1)) out.push({ ip, port: sandboxPodPort(store, e.targetRef) ?? port });
      }
    }
    return dedupe(out);
  }
  const selector = svc.spec?.selector ?? {};
  if (Object.keys(selector).length === 0) return [];
  const pods = store.list('Pod', namespace, selector).filter((p) => Object.entries(selector).every(([k, v]) => p.metadata.labels?.[k] === v));
  const out: Endpoint[] = [];
  for (const pod of pods) {
    if (pod.metadata.deletionTimestamp || !pod.status?.podIP) continue;
    const ready = (pod.status.conditions ?? []).some((c: any) => c.type === 'Ready' && c.status === 'True');
    if (!ready) continue;
    const port = resolveTargetPort(pod, sp.targetPort ?? sp.port);
    if (port !== undefined) out.push({ ip: pod.status.podIP, port });
  }
  return dedupe(out);
}

/**
 * NOTE(sandbox): the emulated cluster's pods all listen on 127.0.0.1, each on its own port, which
 * one EndpointSlice port list cannot express; the pod's status carries its real port.
 */
function sandboxPodPort(store: LbcClusterStore, ref: { kind?: string; name?: string; namespace?: string } | undefined): number | undefined {
  if (ref?.kind !== 'Pod' || !ref.name) return undefined;
  const port = store.get('Pod', ref.namespace ?? 'default', ref.name)?.status?.containerStatuses?.[0]?.containerPort;
  return typeof port === 'number' && port > 0 ? port : undefined;
}

function resolveTargetPort(pod: KubeObject, target: number | string): number | undefined {
  if (typeof target === 'number') return target;
  if (/^\d+$/.test(target)) return Number(target);
  for (const c of pod.spec?.containers ?? []) {
    for (const p of c.ports ?? []) if (p.name === target) return p.containerPort;
  }
  return undefined;
}

function dedupe(list: Endpoint[]): Endpoint[] {
  const seen = new Set<string>();
  return list.filter((e) => {
    const k = `${e.ip}:${e.port}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  }).sort((a, b) => `${a.ip}:${a.port}`.localeCompare(`${b.ip}:${b.port}`));
}
