// How server-side apply merges each list: by keys (a list-map), as a set, or whole (atomic, the
// default). Built-in kinds: the `+listType=map`/`+listMapKey`/`+patchMergeKey` markers of
// staging/src/k8s.io/api/{core,apps,admissionregistration}/v1/types.go, which the OpenAPI schema
// carries as x-kubernetes-list-type / x-kubernetes-list-map-keys and structured-merge-diff reads.
// Custom resources: the same keys in their CRD's schema.

export type ListType = { keys: string[] } | 'set' | 'atomic';

const POD_SPEC: Record<string, ListType> = {
  containers: { keys: ['name'] }, initContainers: { keys: ['name'] }, ephemeralContainers: { keys: ['name'] },
  volumes: { keys: ['name'] }, imagePullSecrets: { keys: ['name'] }, hostAliases: { keys: ['ip'] },
  topologySpreadConstraints: { keys: ['topologyKey', 'whenUnsatisfiable'] }, resourceClaims: { keys: ['name'] }, schedulingGates: { keys: ['name'] },
};
const CONTAINER: Record<string, ListType> = {
  ports: { keys: ['containerPort', 'protocol'] }, env: { keys: ['name'] }, volumeMounts: { keys: ['mountPath'] }, volumeDevices: { keys: ['devicePath'] },
};
const METADATA: Record<string, ListType> = { 'metadata.ownerReferences': { keys: ['uid'] }, 'metadata.finalizers': 'set' };

function podSpecAt(prefix: string): Record<string, ListType> {
  const out: Record<string, ListType> = {};
  for (const [k, v] of Object.entries(POD_SPEC)) out[`${prefix}.${k}`] = v;
  for (const containers of ['containers', 'initContainers', 'ephemeralContainers']) {
    for (const [k, v] of Object.entries(CONTAINER)) out[`${prefix}.${containers}.${k}`] = v;
  }
  return out;
}

const BUILTIN: Record<string, Record<string, ListType>> = {
  'apps/Deployment': podSpecAt('spec.template.spec'),
  'apps/ReplicaSet': podSpecAt('spec.template.spec'),
  'apps/DaemonSet': podSpecAt('spec.template.spec'),
  '/Pod': podSpecAt('spec'),
  '/Service': { 'spec.ports': { keys: ['port', 'protocol'] } },
  'admissionregistration.k8s.io/MutatingWebhookConfiguration': { webhooks: { keys: ['name'] } },
  'admissionregistration.k8s.io/ValidatingWebhookConfiguration': { webhooks: { keys: ['name'] } },
};

/**
 * Key fields the schema gives a default (ContainerPort.protocol and ServicePort.protocol:
 * +default="TCP"): structured-merge-diff matches an element that leaves them out as if set.
 */
export const KEY_DEFAULTS: Readonly<Record<string, unknown>> = { protocol: 'TCP' };

type Obj = Record<string, any>;

/** The node of `schema` at a dotted field path (list elements add no segment). */
function schemaAt(schema: Obj | undefined, path: string): Obj | undefined {
  let s = schema;
  for (const seg of path.split('.')) {
    while (s?.type === 'array' && s.items) s = s.items;
    s = s?.properties?.[seg] ?? (typeof s?.additionalProperties === 'object' ? s.additionalProperties : undefined);
  }
  return s;
}

/** The list type at `path` of an object of `group`/`kind` (`crdSchema` for custom resources). */
export function listTypeOf(group: string, kind: string, path: string, crdSchema?: Obj): ListType {
  const meta = METADATA[path];
  if (meta) return meta;
  const builtin = BUILTIN[`${group}/${kind}`]?.[path];
  if (builtin) return builtin;
  const s = schemaAt(crdSchema, path);
  if (s?.['x-kubernetes-list-type'] === 'map' && Array.isArray(s['x-kubernetes-list-map-keys'])) return { keys: s['x-kubernetes-list-map-keys'] };
  if (s?.['x-kubernetes-list-type'] === 'set') return 'set';
  return 'atomic';
}
