// What the emulated load balancer controller needs from its cluster and from EC2, as one small
// seam: sandbox/world.ts adapts the emulated Kubernetes store (sandbox/kube) and the EC2 state
// to it, so the controller does not depend on their internals.
import type { KubeObject } from './objects.js';

export type WatchedKind = 'Ingress' | 'Service' | 'EndpointSlice' | 'Pod' | 'Deployment' | 'ServiceAccount';

export interface LbcClusterStore {
  /**
   * Objects of a kind (all namespaces when namespace is undefined); with `labels` a store may
   * answer only those carrying every one of them (a label selector), as an informer's index would.
   */
  list(kind: WatchedKind, namespace?: string, labels?: Record<string, string>): KubeObject[];
  get(kind: WatchedKind, namespace: string, name: string): KubeObject | undefined;
  /** Called after any change of any object; returns unsubscribe. */
  onChange(listener: (kind: string) => void): () => void;
  /** Replace status.loadBalancer of an Ingress (status subresource). */
  patchIngressStatus(namespace: string, name: string, loadBalancer: { ingress: { hostname: string }[] }): Promise<void>;
  /** Set metadata.finalizers of an Ingress (removing the last one lets a pending delete finish). */
  setIngressFinalizers(namespace: string, name: string, finalizers: string[]): Promise<void>;
  /** Record an Event about an object (the store aggregates repeats). */
  recordEvent(involved: KubeObject, type: 'Normal' | 'Warning', reason: string, message: string): Promise<void>;
}

export interface Ec2Subnet {
  subnetId: string;
  vpcId: string;
  availabilityZone: string;
  tags: Record<string, string>;
  availableIpAddressCount?: number;
}

/** The subnets of the emulated EC2 state in a region. */
export type SubnetSource = (region: string) => Ec2Subnet[];
