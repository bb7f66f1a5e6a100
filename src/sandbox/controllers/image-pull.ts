// A node's image pull from the sandbox's ECR, as the node's instance profile (the node role): what
// the kubelet's ECR credential provider and the container runtime call
// (https://docs.aws.amazon.com/AmazonECR/latest/userguide/image-pull.html; the permissions are
// AmazonEC2ContainerRegistryReadOnly's):
// - the credential provider (github.com/kubernetes/cloud-provider-aws, cmd/ecr-credential-provider)
//   asks ecr:GetAuthorizationToken (Resource "*") for the registry's password; when that fails the
//   kubelet logs it and the runtime pulls without credentials, which the registry answers
//   401 Unauthorized;
// - containerd resolves the tag (HEAD /v2/<repository>/manifests/<tag>, authorised as
//   ecr:BatchGetImage on the repository ARN: 403 Forbidden when refused, "not found" when the tag
//   is not in the repository) and fetches each layer (ecr:GetDownloadUrlForLayer on the repository).
// Errors carry containerd's wording as the kubelet reports it in its Failed event
// (pkg/kubelet/images/image_manager.go: `Failed to pull image "<image>": <runtime error>`).
// Only images of the sandbox's own account are pulled here; any other image (public ones) runs as
// before. Not emulated: the provider's 12-hour token cache (each pull asks for a token), pulls by
// digest, imagePullSecrets, cross-account repository policies.
import { ServiceError, type RequestContext } from '../aws/service.js';
import type { ScaledClock } from '../clock.js';
import type { ControllerIdentity } from './lbc/irsa.js';

export const KUBELET_AGENT = 'kubelet';
/** The kubelet's image pull back-off (pkg/kubelet/kubelet.go: backOffPeriod 10 s, MaxContainerBackOff 300 s). */
const BACKOFF_START_MS = 10_000;
const BACKOFF_MAX_MS = 300_000;
/** Real floor of a retry (doubling up to 2 s), so that an instantaneous clock (scale 0) does not spin the kubelet. */
const MIN_REAL_RETRY_MS = 250;
const MAX_REAL_FLOOR_MS = 2_000;

/** The outcome of one pull: ok, or the runtime's error and whether the image was simply absent. */
export type PullOutcome = { ok: true; alreadyPresent: boolean } | { ok: false; notFound: boolean; message: string };

export interface ImagePuller {
  /** Whether the node pulls `image` here (an ECR image of the sandbox's account); others run without a pull. */
  handles(image: string): boolean;
  /** Pull `image` onto `node` under `policy` (the container's imagePullPolicy); `pulling` is told when a pull starts. */
  pull(image: string, node: string | undefined, policy: string | undefined, pulling: () => void): Promise<PullOutcome>;
  /** Real milliseconds before the kubelet retries after `failures` failed pulls in a row. */
  backOff(failures: number): number;
}

/** An image reference of ECR: <account>.dkr.ecr.<region>.amazonaws.com/<repository>:<tag>. */
const ECR_IMAGE = /^(\d{12})\.dkr\.ecr\.([a-z0-9-]+)\.amazonaws\.com\/([^:@]+)(?::([\w][\w.-]{0,127}))?$/;

export interface EcrPullOptions {
  accountId: string;
  clock: ScaledClock;
  /** The emulated ECR's operations, run in-process with a request context. */
  ecr: { operations: Record<string, (input: Record<string, unknown>, ctx: RequestContext) => unknown> };
  /** The node's instance profile session: its access key (undefined: not under IAM). */
  nodeKey: (node: string | undefined) => Promise<string | undefined>;
  /** Authorises, runs and records a call (undefined: calls are neither authorised nor recorded). */
  identity?: Pick<ControllerIdentity, 'call'>;
}

export function ecrImagePuller(o: EcrPullOptions): ImagePuller {
  /** Images each node's runtime holds (imagePullPolicy IfNotPresent pulls only what is missing). */
  const present = new Set<string>();

  const call = async <T>(accessKey: string | undefined, region: string, operation: string, input: Record<string, unknown>): Promise<T> => {
    const run = async () => {
      const ctx: RequestContext = { requestId: 'in-process', accountId: o.accountId, region, accessKeyId: accessKey ?? 'in-process', clock: o.clock, host: 'in-process' };
      const handler = o.ecr.operations[operation];
      if (!handler) throw new ServiceError('InvalidAction', `${operation} is not emulated`, 400);
      return (await handler(input, ctx)) as T;
    };
    return o.identity ? o.identity.call(accessKey, 'ecr', operation, input, region, run) : run();
  };

  return {
    handles: (image) => ECR_IMAGE.exec(image)?.[1] === o.accountId,
    async pull(image, node, policy, pulling) {
      const ref = ECR_IMAGE.exec(image);
      if (!ref || ref[1] !== o.accountId) return { ok: true, alreadyPresent: true };
      const [, , region = '', repository = '', tag = 'latest'] = ref;
      const held = `${node ?? ''}|${image}`;
      if (policy !== 'Always' && present.has(held)) return { ok: true, alreadyPresent: true };
      pulling();
      const failed = (notFound: boolean, why: string): PullOutcome => ({ ok: false, notFound,
        message: `rpc error: code = ${notFound ? 'NotFound' : 'Unknown'} desc = failed to pull and unpack image "${image}": failed to resolve reference "${image}": ${why}` });
      const manifestUrl = `https://${o.accountId}.dkr.ecr.${region}.amazonaws.com/v2/${repository}/manifests/${tag}`;
      const accessKey = await o.nodeKey(node);
      try {
        await call(accessKey, region, 'GetAuthorizationToken', {});
      } catch (err) {
        if (!(err instanceof ServiceError)) throw err;
        return failed(false, `unexpected status from HEAD request to ${manifestUrl}: 401 Unauthorized`);
      }
      let manifest: string | undefined;
      try {
        const answer = await call<{ images: { imageManifest: string }[] }>(accessKey, region, 'BatchGetImage',
          { repositoryName: repository, imageIds: [{ imageTag: tag }], acceptedMediaTypes: ['application/vnd.oci.image.manifest.v1+json', 'application/vnd.docker.distribution.manifest.v2+json'] });
        manifest = answer.images[0]?.imageManifest;
      } catch (err) {
        if (!(err instanceof ServiceError)) throw err;
        if (err.code === 'RepositoryNotFoundException') return failed(true, `${image}: not found`);
        return failed(false, `unexpected status from HEAD request to ${manifestUrl}: 403 Forbidden`);
      }
      if (!manifest) return failed(true, `${image}: not found`);
      for (const layer of (JSON.parse(manifest) as { layers: { digest: string }[] }).layers) {
        try {
          await call(accessKey, region, 'GetDownloadUrlForLayer', { repositoryName: repository, layerDigest: layer.digest });
        } catch (err) {
          if (!(err instanceof ServiceError)) throw err;
          return { ok: false, notFound: false, message: `rpc error: code = Unknown desc = failed to pull and unpack image "${image}": failed to copy: httpReadSeeker: failed open: unexpected status code https://${o.accountId}.dkr.ecr.${region}.amazonaws.com/v2/${repository}/blobs/${layer.digest}: 403 Forbidden` };
        }
      }
      present.add(held);
      return { ok: true, alreadyPresent: false };
    },
    backOff(failures) {
      const doubling = 2 ** Math.max(0, failures - 1);
      return Math.max(o.clock.real(Math.min(BACKOFF_START_MS * doubling, BACKOFF_MAX_MS)), Math.min(MIN_REAL_RETRY_MS * doubling, MAX_REAL_FLOOR_MS));
    },
  };
}
