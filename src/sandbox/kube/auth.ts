// The EKS authenticator's check, as the emulated API server runs it: the bearer token must be
// `k8s-aws-v1.` + a presigned STS GetCallerIdentity URL, unexpired, signed with x-k8s-aws-id set
// to THIS cluster's name. The signature is recomputed with the caller's secret (the sandbox knows
// its own credentials), so a token minted for another cluster fails exactly as on EKS.
import { SignatureV4 } from '@smithy/signature-v4';
import { HttpRequest } from '@smithy/protocol-http';
import { Sha256 } from '@aws-crypto/sha256-js';

const ALLOWED = new Set(['action', 'version', 'x-amz-algorithm', 'x-amz-credential', 'x-amz-date', 'x-amz-expires', 'x-amz-security-token', 'x-amz-signature', 'x-amz-signedheaders']);
const MAX_AGE_MS = 15 * 60_000;

export type TokenVerdict = { ok: true; accessKeyId: string } | { ok: false; reason: string };

function parseAmzDate(d: string): number {
  return Date.UTC(+d.slice(0, 4), +d.slice(4, 6) - 1, +d.slice(6, 8), +d.slice(9, 11), +d.slice(11, 13), +d.slice(13, 15));
}

export async function verifyEksToken(token: string | undefined, clusterName: string, secretOf: (accessKeyId: string) => string | undefined, now = Date.now()): Promise<TokenVerdict> {
  if (!token?.startsWith('k8s-aws-v1.')) return { ok: false, reason: 'not an EKS token' };
  if (token.length > 4096) return { ok: false, reason: 'token too long' };
  let url: URL;
  try {
    url = new URL(Buffer.from(token.slice('k8s-aws-v1.'.length), 'base64url').toString('utf8'));
  } catch {
    return { ok: false, reason: 'token is not a URL' };
  }
  const q = url.searchParams;
  for (const k of q.keys()) if (!ALLOWED.has(k.toLowerCase())) return { ok: false, reason: `unexpected query parameter ${k}` };
  if (q.get('Action') !== 'GetCallerIdentity') return { ok: false, reason: 'not a GetCallerIdentity request' };
  const signedHeaders = (q.get('X-Amz-SignedHeaders') ?? '').split(';');
  if (!signedHeaders.includes('x-k8s-aws-id')) return { ok: false, reason: 'x-k8s-aws-id is not signed' };
  const date = q.get('X-Amz-Date') ?? '';
  const expires = Number(q.get('X-Amz-Expires') ?? -1);
  if (!(expires >= 0 && expires <= 900)) return { ok: false, reason: 'invalid X-Amz-Expires' };
  if (now - parseAmzDate(date) > MAX_AGE_MS) return { ok: false, reason: 'token expired' };
  const [accessKeyId, , region, service] = (q.get('X-Amz-Credential') ?? '').split('/');
  const secret = accessKeyId ? secretOf(accessKeyId) : undefined;
  if (!secret || !region || service !== 'sts') return { ok: false, reason: 'unknown credentials' };
  const query: Record<string, string> = {};
  for (const [k, v] of q) if (!k.toLowerCase().startsWith('x-amz-') || k === 'X-Amz-Security-Token') query[k] = v;
  const request = new HttpRequest({ method: 'GET', protocol: url.protocol, hostname: url.hostname, port: url.port ? Number(url.port) : undefined, path: url.pathname,
    query, headers: { host: url.host, 'x-k8s-aws-id': clusterName } } as ConstructorParameters<typeof HttpRequest>[0]);
  const signer = new SignatureV4({ service: 'sts', region, sha256: Sha256, credentials: { accessKeyId: accessKeyId!, secretAccessKey: secret } });
  const signed = await signer.presign(request, { signingDate: new Date(parseAmzDate(date)), expiresIn: expires });
  if (signed.query?.['X-Amz-Signature'] !== q.get('X-Amz-Signature')) return { ok: false, reason: 'signature does not match (a token for another cluster?)' };
  return { ok: true, accessKeyId: accessKeyId! };
}
