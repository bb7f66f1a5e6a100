// Names the load balancer controller generates for what it creates (alb-grpc.md §4):
// `k8s-<group ≤17>-<10 hex>` for an explicit group, `k8s-<ns ≤8>-<ingress ≤8>-<10 hex>` for an
// implicit one, and `k8s-<ns ≤8>-<svc ≤8>-<10 hex>` for target groups. Hashes cover what makes
// the resource a different one, so a changed immutable setting yields a new name (and a replace).
import { createHash } from 'node:crypto';
import type { TargetGroupSettings } from './annotations.js';

function sanitize(s: string): string {
  return s.replace(/[^A-Za-z0-9]/g, '');
}

function hash10(...parts: (string | number)[]): string {
  const h = createHash('sha256');
  for (const p of parts) h.update(String(p)).update('\0');
  return h.digest('hex').slice(0, 10);
}

export function loadBalancerName(clusterName: string, stackId: string, explicit: boolean, scheme: string): string {
  const hash = hash10(clusterName, stackId, scheme);
  if (explicit) return `k8s-${sanitize(stackId).slice(0, 17)}-${hash}`;
  const [ns = '', name = ''] = stackId.split('/');
  return `k8s-${sanitize(ns).slice(0, 8)}-${sanitize(name).slice(0, 8)}-${hash}`;
}

export function targetGroupName(clusterName: string, stackId: string, resourceId: string, namespace: string, service: string,
  s: Pick<TargetGroupSettings, 'targetType' | 'backendProtocol' | 'protocolVersion'>, port: number): string {
  const hash = hash10(clusterName, stackId, resourceId, s.targetType, s.backendProtocol, s.protocolVersion, port);
  return `k8s-${sanitize(namespace).slice(0, 8)}-${sanitize(service).slice(0, 8)}-${hash}`;
}

/**
 * The managed (frontend) security group of an ingress group: sha256(cluster + group id), the
 * same layout as the load balancer (pkg/ingress/model_build_managed_sg.go,
 * buildManagedSecurityGroupName, v3.5.0).
 */
export function managedSecurityGroupName(clusterName: string, stackId: string, explicit: boolean): string {
  const hash = createHash('sha256').update(clusterName).update(stackId).digest('hex').slice(0, 10);
  if (explicit) return `k8s-${sanitize(stackId).slice(0, 17)}-${hash}`;
  const [ns = '', name = ''] = stackId.split('/');
  return `k8s-${sanitize(ns).slice(0, 8)}-${sanitize(name).slice(0, 8)}-${hash}`;
}

/** The cluster's shared backend security group (pkg/networking/backend_sg_provider.go, getBackendSGName). */
export function backendSecurityGroupName(clusterName: string): string {
  const hash = createHash('sha256').update(clusterName).digest('hex').slice(0, 10);
  return `k8s-traffic-${sanitize(clusterName).slice(0, 232)}-${hash}`;
}
