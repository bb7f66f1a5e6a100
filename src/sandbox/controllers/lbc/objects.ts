// The few Kubernetes object shapes the emulated load balancer controller reads, typed loosely
// (the store hands out plain JSON objects).

export interface ObjectMeta {
  name: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  generation?: number;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  finalizers?: string[];
  deletionTimestamp?: string;
  creationTimestamp?: string;
}

export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata: ObjectMeta;
  spec?: any;
  status?: any;
}

export interface IngressPath {
  path?: string;
  pathType?: 'Prefix' | 'Exact' | 'ImplementationSpecific';
  backend: { service?: { name: string; port: { number?: number; name?: string } } };
}

export interface IngressObject extends KubeObject {
  spec?: {
    ingressClassName?: string;
    defaultBackend?: IngressPath['backend'];
    rules?: { host?: string; http?: { paths: IngressPath[] } }[];
    tls?: { hosts?: string[] }[];
  };
}

export interface ServicePort {
  name?: string;
  port: number;
  targetPort?: number | string;
  protocol?: string;
  nodePort?: number;
}

export interface ServiceObject extends KubeObject {
  spec?: { type?: string; selector?: Record<string, string>; ports?: ServicePort[] };
}

/** One ready address behind a Service port, as EndpointSlices (or Pods) tell it. */
export interface Endpoint {
  ip: string;
  port: number;
}

/** `namespace/name` of an object. */
export function keyOf(o: KubeObject): string {
  return `${o.metadata.namespace ?? ''}/${o.metadata.name}`;
}
