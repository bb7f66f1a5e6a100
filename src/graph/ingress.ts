// spec.services → the Ingresses (kube layer) and the read-back of their ALBs (edge layer).
// One Ingress per ingress group and namespace; each rule's path comes from the parsed .proto of
// the service (grpcRoutePath), never from the spec text. Services beyond the ALB rule quota
// spill into further groups, and the plan says so in a note.
import { ref, type Desired } from '../resources/kind.js';
import { groupNamespaces, ingressManifest } from '../resources/kube/ingress.js';
import { ingressKind } from '../resources/kube/kube-kinds.js';
import { albReadback } from '../resources/edge/alb-readback.js';
import { groupHealthCheck, ingressGroups, prefixPathValues, serviceNamespace, splitNote } from '../resources/kube/ingress-groups.js';
import { findProtoService, grpcRoutePath } from '../platform-spec/protos.js';
import type { ResolvedService, ResolvedSpec } from '../platform-spec/resolved.js';
import type { BuildContext, LayerBuilder } from './layers.js';
import { albId, CERTIFICATE_VALIDATION, ingressId, kubeId, LBC_DEPLOYMENT_ID } from './ids.js';
import { compareText } from '../compare-text.js';


function routePathOf(protosDir: string): (s: ResolvedService) => string {
  return (s) => {
    const info = findProtoService(protosDir, s.grpcService);
    // Validation reports a missing proto with its line and column; reaching here means the
    // protos changed under a validated spec, which must not silently route nowhere.
    if (!info) throw new Error(`service ${s.name}: gRPC service ${s.grpcService} is not declared in any .proto under ${protosDir}`);
    return grpcRoutePath(info);
  };
}

/** Whether the platform exposes its services through ALBs: it needs a cluster and a domain (the certificate). */
function exposed(spec: ResolvedSpec): boolean {
  return spec.cluster !== undefined && spec.domain !== undefined && spec.services.length > 0;
}

/** Kube layer: the Ingress objects. */
export function buildIngresses(spec: ResolvedSpec, ctx: BuildContext): Desired[] {
  if (!exposed(spec)) return [];
  const routePath = routePathOf(ctx.protosDir);
  const groups = ingressGroups(spec);
  const note = splitNote(spec, groups);
  const installLbc = spec.loadBalancerController.install;
  const nodes: Desired[] = [];
  for (const group of groups) {
    for (const { namespace, services } of groupNamespaces(group)) {
      // One note for the whole plan, carried by the first Ingress.
      const notes = note && nodes.length === 0 ? [note] : [];
      nodes.push(ingressKind.node(
        ingressId(namespace, group.name),
        ingressManifest({ spec, group, namespace, services, routePath, certificateArn: ref(CERTIFICATE_VALIDATION, 'arn') }),
        [
          ...services.flatMap((s) => [kubeId('Deployment', namespace, s.name), kubeId('Service', namespace, s.name)]),
          ...(installLbc ? [LBC_DEPLOYMENT_ID] : []),
        ],
        { notes },
      ));
    }
  }
  return nodes;
}

/** Edge layer: one ALB read-back per ingress group, what its Ingresses should make of it. */
export function buildAlbReadbacks(spec: ResolvedSpec, ctx: BuildContext): Desired[] {
  if (!exposed(spec)) return [];
  const routePath = routePathOf(ctx.protosDir);
  return ingressGroups(spec).map((group) => {
    const hc = groupHealthCheck(spec, group.services);
    const rules = group.services.map((s) => ({
      paths: prefixPathValues(routePath(s)),
      // The controller tags each target group `<namespace>/<ingress>-<service>:<port>`.
      backend: `${serviceNamespace(s)}/${group.name}-${s.name}:${s.port}`,
    })).sort((a, b) => compareText(a.paths.join(' '), b.paths.join(' ')));
    const ingresses = groupNamespaces(group).map(({ namespace }) => ({ namespace, name: group.name }));
    return albReadback.node(albId(group.name), {
      cluster: spec.cluster!.name,
      group: group.name,
      scheme: spec.ingress.scheme,
      certificateArn: ref(CERTIFICATE_VALIDATION, 'arn'),
      listener: { protocol: 'HTTPS', port: 443 },
      rules,
      healthCheck: { path: hc.path, successCodes: hc.successCodes },
      ingresses,
    }, ingresses.map((i) => ingressId(i.namespace, i.name)));
  });
}

export const ingressLayer: LayerBuilder = { layer: 'kube', build: buildIngresses };
export const albReadbackLayer: LayerBuilder = { layer: 'edge', build: buildAlbReadbacks };
