// Which Services' EndpointSlices the sandbox's endpoint-slice sync (deployment.ts) must look at:
// the Services that changed, those whose selector matches a Pod that changed (before or after the
// change), and those whose slice someone else changed — as the EndpointSlice controller's
// informers on Services, Pods and EndpointSlices queue them (pkg/controller/endpointslice). The
// first pass looks at every Service. Services' selectors and Pods' labels are kept from the watch
// events, so a change costs a look at the Services of its namespace, not a list of every object.
import type { KubeObject, KubeStore } from '../kube/store.js';
import type { ApiResource } from '../kube/resources.js';

export interface SliceTracker {
  /** The Services to sync now (as the API server lists them, in its order); empties the queue. */
  servicesToSync(): KubeObject[];
  /** Keys (`ns/name`) of the Pods of `namespace` whose labels match `selector`, in the API server's list order. */
  podsSelectedBy(namespace: string, selector: Record<string, string>): string[];
  /** The next servicesToSync() answers every Service (after a sync that failed part-way). */
  resyncAll(): void;
  stop(): void;
}

/** `ns/name` → a string that sorts as the API server's storage keys of one resource do (object-map.ts). */
const listOrderKey = (namespacedName: string): string => namespacedName.replace('/', '|');

/** Sort `ns/name` keys in the API server's list order. */
export const inListOrder = (keys: Iterable<string>): string[] => [...keys].sort((a, b) => listOrderKey(a).localeCompare(listOrderKey(b)));

/**
 * Empty a queue of `ns/name` keys of `res` and read each object now, in list order: the objects
 * still there, and the keys of those gone since they were queued.
 */
export function takeQueued(store: KubeStore, res: ApiResource, queue: Set<string>): { found: KubeObject[]; gone: string[] } {
  const keys = inListOrder(queue);
  queue.clear();
  const found: KubeObject[] = [];
  const gone: string[] = [];
  for (const key of keys) {
    const [ns, name] = key.split('/') as [string, string];
    const o = store.tryGet(res, ns, name);
    if (o) found.push(o);
    else gone.push(key);
  }
  return { found, gone };
}

type Labels = Record<string, string> | undefined;

export function startSliceTracker(store: KubeStore): SliceTracker {
  const serviceRes = () => store.resource('v1', 'Service')!;
  /** Each known Service's namespace and selector. */
  const selectors = new Map<string, { namespace: string; selector: Labels }>();
  /** Each known Pod's labels as last seen, and the Pods by `namespace/label=value` (an index for selectors). */
  const podLabels = new Map<string, Labels>();
  const podsByLabel = new Map<string, Set<string>>();
  const labelKey = (namespace: string, k: string, v: string) => `${namespace}/${k}=${v}`;
  const namespaceOf = (podKey: string) => podKey.slice(0, podKey.indexOf('/'));
  const setPodLabels = (key: string, labels: Labels) => {
    for (const [k, v] of Object.entries(podLabels.get(key) ?? {})) {
      const pods = podsByLabel.get(labelKey(namespaceOf(key), k, v));
      pods?.delete(key);
      if (pods?.size === 0) podsByLabel.delete(labelKey(namespaceOf(key), k, v));
    }
    if (!labels) {
      podLabels.delete(key);
      return;
    }
    podLabels.set(key, labels);
    for (const [k, v] of Object.entries(labels)) {
      const indexKey = labelKey(namespaceOf(key), k, v);
      const pods = podsByLabel.get(indexKey) ?? new Set<string>();
      podsByLabel.set(indexKey, pods.add(key));
    }
  };
  const queued = new Set<string>();
  let syncEvery = true;

  const keyOf = (o: KubeObject) => `${o.metadata.namespace ?? 'default'}/${o.metadata.name}`;
  const rememberService = (svc: KubeObject) => selectors.set(keyOf(svc), { namespace: svc.metadata.namespace ?? 'default', selector: svc.spec?.selector ? { ...svc.spec.selector } : undefined });
  const queueSelecting = (namespace: string, labels: Labels) => {
    if (!labels) return;
    for (const [key, svc] of selectors) {
      if (svc.namespace !== namespace || !svc.selector) continue;
      if (Object.entries(svc.selector).every(([k, v]) => labels[k] === v)) queued.add(key);
    }
  };

  const unsubscribe = store.onChange((kind, object, type) => {
    const key = keyOf(object);
    if (kind === 'Service') {
      if (type === 'DELETED') selectors.delete(key);
      else rememberService(object);
      queued.add(key);
    } else if (kind === 'Pod') {
      const before = podLabels.get(key);
      const after: Labels = type === 'DELETED' ? undefined : { ...object.metadata.labels };
      setPodLabels(key, after);
      queueSelecting(object.metadata.namespace ?? 'default', before);
      queueSelecting(object.metadata.namespace ?? 'default', after);
    } else if (kind === 'EndpointSlice') {
      const service = object.metadata.labels?.['kubernetes.io/service-name'];
      if (typeof service === 'string') queued.add(`${object.metadata.namespace ?? 'default'}/${service}`);
    }
  });

  return {
    servicesToSync() {
      if (syncEvery) {
        syncEvery = false;
        queued.clear();
        const services = store.list(serviceRes());
        selectors.clear();
        for (const svc of services) rememberService(svc);
        for (const key of [...podLabels.keys()]) setPodLabels(key, undefined);
        for (const pod of store.list(store.resource('v1', 'Pod')!)) setPodLabels(keyOf(pod), { ...pod.metadata.labels });
        return services;
      }
      return takeQueued(store, serviceRes(), queued).found;
    },
    podsSelectedBy(namespace, selector) {
      const entries = Object.entries(selector);
      // The smallest indexed set holds every match; an empty selector selects the whole namespace.
      const candidates = entries.length === 0 ? [...podLabels.keys()].filter((key) => namespaceOf(key) === namespace)
        : entries.map(([k, v]) => podsByLabel.get(labelKey(namespace, k, v)) ?? new Set<string>()).reduce((a, b) => (b.size < a.size ? b : a));
      return inListOrder([...candidates].filter((key) => entries.every(([k, v]) => podLabels.get(key)?.[k] === v)));
    },
    resyncAll() {
      syncEvery = true;
    },
    stop: unsubscribe,
  };
}
