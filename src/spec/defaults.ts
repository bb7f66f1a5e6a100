// The documented defaults, applied in one place so that the rest of the code never guesses.
import type { AddonName, PlatformSpec } from './types.js';

export const DEFAULT_LBC_VERSION = 'v3.5.0';
export const ADDONS: AddonName[] = ['vpc-cni', 'kube-proxy', 'coredns', 'eks-pod-identity-agent'];

/** Pure: a copy of the spec with every optional setting filled with its default. */
export function withDefaults(spec: PlatformSpec): PlatformSpec {
  const s = structuredClone(spec);
  if (s.network) s.network.natGateways ??= 'single';
  if (s.cluster) {
    const c = s.cluster;
    c.endpointAccess = { public: true, private: true, publicCidrs: ['0.0.0.0/0'], ...c.endpointAccess };
    c.admins ??= [];
    c.addons = Object.fromEntries(ADDONS.map((a) => [a, { ...(c.addons?.[a] ?? {}) }]));
    for (const ng of c.nodeGroups) {
      ng.labels ??= {};
      ng.taints ??= [];
    }
  }
  s.services ??= [];
  s.loadBalancerController = { install: true, version: DEFAULT_LBC_VERSION, replicas: 2, ...s.loadBalancerController };
  s.ingress = { scheme: 'internet-facing', maxRulesPerGroup: 100, ...s.ingress };
  for (const svc of s.services) {
    svc.namespace ??= 'default';
    svc.replicas ??= 2;
    svc.healthService ??= false;
    svc.env ??= {};
    if (svc.probe) svc.probe = { interval: '30s', timeout: '5s', expectedStatus: 'OK', request: {}, ...svc.probe };
  }
  if (s.domain) s.domain.certificate = { alternativeNames: [], ...s.domain.certificate };
  s.deletion = { allow: [], ...s.deletion };
  s.reconcile = { mode: 'apply', pollInterval: '1m', resyncInterval: '10m', ...s.reconcile };
  return s;
}
