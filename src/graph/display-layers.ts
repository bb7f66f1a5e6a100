// The layers people read a platform by (network → IAM → EKS → cluster objects → ALB → DNS), told
// apart by the logical id's prefix alone, so the status page and `platformd graph` can group any
// id, including one the spec no longer names (a pending deletion).

export interface DisplayLayer {
  /** Stable key, safe in identifiers (DOT cluster names, Mermaid subgraph ids, HTML ids). */
  key: 'network' | 'iam' | 'eks' | 'cluster' | 'alb' | 'dns' | 'other';
  title: string;
}

/** In reading order; `other` last, for an id no prefix below matches. */
export const DISPLAY_LAYERS: readonly DisplayLayer[] = [
  { key: 'network', title: 'Network' },
  { key: 'iam', title: 'IAM' },
  { key: 'eks', title: 'EKS' },
  { key: 'cluster', title: 'Cluster objects' },
  { key: 'alb', title: 'ALB' },
  { key: 'dns', title: 'DNS and certificates' },
  { key: 'other', title: 'Other' },
];

const byKey = new Map(DISPLAY_LAYERS.map((l) => [l.key, l]));

/** Pure: the display layer of a logical id (`edge/alb/…` is the ALB; the rest of `edge/` is DNS and TLS). */
export function displayLayerOf(id: string): DisplayLayer {
  const [head, second] = id.split('/');
  const key: DisplayLayer['key'] = head === 'network' ? 'network' : head === 'iam' ? 'iam' : head === 'eks' ? 'eks'
    : head === 'kube' ? 'cluster' : head === 'edge' ? (second === 'alb' ? 'alb' : 'dns') : 'other';
  return byKey.get(key)!;
}

/** Pure: items grouped by display layer, in reading order, empty layers left out. */
export function groupByDisplayLayer<T>(items: readonly T[], idOf: (item: T) => string): { layer: DisplayLayer; items: T[] }[] {
  const groups = new Map<DisplayLayer['key'], T[]>();
  for (const item of items) {
    const key = displayLayerOf(idOf(item)).key;
    groups.set(key, [...(groups.get(key) ?? []), item]);
  }
  return DISPLAY_LAYERS.filter((l) => groups.has(l.key)).map((layer) => ({ layer, items: groups.get(layer.key)! }));
}
