// The Ingress manifests: one per ingress group and namespace, class alb, that make the AWS Load
// Balancer Controller build a gRPC ALB — HTTPS:443 with the platform's certificate, target-type
// ip, GRPC target groups with a gRPC health check, and one Prefix rule per service whose path is
// `/<package>.<Service>/` taken from the parsed .proto (never typed by hand). Pure.
import type { OutputRef } from '../kind.js';
import type { ResolvedService, ResolvedSpec } from '../../platform-spec/resolved.js';
import { TAG_ID, TAG_PLATFORM } from '../ownership.js';
import { albId } from '../../graph/ids.js';
import { groupHealthCheck, serviceNamespace, type IngressGroup } from './ingress-groups.js';

export const A = 'alb.ingress.kubernetes.io/';
/** TLS 1.3 + 1.2 policy; the controller's default (ELBSecurityPolicy-2016-08) still allows TLS 1.0. */
export const SSL_POLICY = 'ELBSecurityPolicy-TLS13-1-2-2021-06';
/** Annotation platformd sets to make the controller reconcile the group again (ALB repair). */
export const RECONCILE_REQUEST_ANNOTATION = 'platformd.dev/reconcile-request';

export interface IngressManifestInput {
  spec: ResolvedSpec;
  group: IngressGroup;
  namespace: string;
  /** Services of this group in this namespace, sorted by name. */
  services: ResolvedService[];
  /** gRPC route path of each service (`/<package>.<Service>/`), from src/platform-spec/protos.ts. */
  routePath: (service: ResolvedService) => string;
  /** The ACM certificate ARN (an OutputRef to edge/certificate until known). */
  certificateArn: string | OutputRef;
}

/**
 * The Ingress of one group in one namespace. The health check is the group's (all its services,
 * in every namespace), because all its target groups share the annotation semantics.
 * NOTE(ssl-redirect): not set — it takes a port and turns HTTP listeners into redirects; this
 * Ingress has no HTTP listener at all, which is what "ssl-redirect off" amounts to.
 */
export function ingressManifest(input: IngressManifestInput): Record<string, unknown> {
  const { spec, group } = input;
  const hc = groupHealthCheck(spec, group.services);
  const annotations: Record<string, string | OutputRef> = {
    [`${A}scheme`]: spec.ingress.scheme,
    [`${A}target-type`]: 'ip',
    [`${A}backend-protocol-version`]: 'GRPC',
    [`${A}listen-ports`]: '[{"HTTPS":443}]',
    [`${A}certificate-arn`]: input.certificateArn,
    [`${A}ssl-policy`]: SSL_POLICY,
    [`${A}group.name`]: group.name,
    [`${A}healthcheck-path`]: hc.path,
    [`${A}success-codes`]: hc.successCodes,
    // The controller copies these onto the ALB and target groups: the read-back can tell ours.
    [`${A}tags`]: `${TAG_PLATFORM}=${spec.metadata.name},${TAG_ID}=${albId(group.name)}`,
  };
  if (hc.intervalSeconds !== undefined) annotations[`${A}healthcheck-interval-seconds`] = String(hc.intervalSeconds);
  if (hc.timeoutSeconds !== undefined) annotations[`${A}healthcheck-timeout-seconds`] = String(hc.timeoutSeconds);
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: { name: group.name, namespace: input.namespace, annotations },
    spec: {
      ingressClassName: 'alb',
      rules: [{
        http: {
          paths: input.services.map((s) => ({
            path: input.routePath(s),
            pathType: 'Prefix',
            backend: { service: { name: s.name, port: { number: s.port } } },
          })),
        },
      }],
    },
  };
}

/** The namespaces of a group, sorted, each with its services (sorted by name). */
export function groupNamespaces(group: IngressGroup): { namespace: string; services: ResolvedService[] }[] {
  const by = new Map<string, ResolvedService[]>();
  for (const s of group.services) by.set(serviceNamespace(s), [...(by.get(serviceNamespace(s)) ?? []), s]);
  return [...by.keys()].sort().map((namespace) => ({ namespace, services: by.get(namespace)! }));
}
