// The bearer token EKS accepts: `k8s-aws-v1.` + base64url of a presigned STS GetCallerIdentity
// URL that signs the header x-k8s-aws-id: <cluster>. Valid 15 minutes from signing; we refresh
// after 14 (shared/reference/eks-auth-and-irsa.md §1). The STS endpoint is the SDK's own, so
// AWS_ENDPOINT_URL(_STS) is honoured like for every other call.
import { SignatureV4 } from '@smithy/signature-v4';
import { HttpRequest } from '@smithy/protocol-http';
import { Sha256 } from '@aws-crypto/sha256-js';
import type { STSClient } from '@aws-sdk/client-sts';

export interface EksToken {
  token: string;
  expiresAt: number;
}

export const TOKEN_LIFETIME_MS = 14 * 60_000;

export async function eksToken(sts: STSClient, clusterName: string, now = new Date()): Promise<EksToken> {
  const region = await sts.config.region();
  const credentials = await sts.config.credentials();
  const endpoint = await resolveStsEndpoint(sts, region);
  const request = new HttpRequest({
    method: 'GET', protocol: endpoint.protocol, hostname: endpoint.hostname, port: endpoint.port ? Number(endpoint.port) : undefined,
    path: endpoint.pathname === '' ? '/' : endpoint.pathname,
    query: { Action: 'GetCallerIdentity', Version: '2011-06-15' },
    headers: { host: endpoint.host, 'x-k8s-aws-id': clusterName },
  });
  const signer = new SignatureV4({ service: 'sts', region, sha256: Sha256, credentials });
  const signed = await signer.presign(request, { expiresIn: 60, signingDate: now });
  const qs = Object.entries(signed.query ?? {}).map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`).join('&');
  const url = `${endpoint.protocol}//${endpoint.host}${signed.path}?${qs}`;
  return { token: `k8s-aws-v1.${Buffer.from(url).toString('base64url')}`, expiresAt: now.getTime() + TOKEN_LIFETIME_MS };
}

async function resolveStsEndpoint(_sts: STSClient, region: string): Promise<URL> {
  const override = process.env.AWS_ENDPOINT_URL_STS ?? process.env.AWS_ENDPOINT_URL;
  if (override) return new URL(override);
  return new URL(`https://sts.${region}.amazonaws.com/`);
}
