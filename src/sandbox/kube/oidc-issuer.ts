// The emulated clusters' OIDC issuers: each EKS cluster has an issuer URL
// (identity.oidc.issuer, https://oidc.eks.<region>.amazonaws.com/id/<id>) whose key signs the
// service-account tokens the kubelet projects into pods. A token here has the claims of a
// projected token (https://kubernetes.io/docs/reference/access-authn-authz/service-accounts-admin/#bound-service-account-token-volume:
// iss, sub = system:serviceaccount:<ns>:<name>, aud, exp, iat, nbf, kubernetes.io), RS256-signed
// as the API server signs them; the pod identity webhook sets the audience sts.amazonaws.com
// (https://github.com/aws/amazon-eks-pod-identity-webhook, README "--token-audience").
import { createSign, createVerify, generateKeyPairSync, randomUUID, type KeyObject } from 'node:crypto';

/** Claims of a projected service-account token, as STS reads them. */
export interface ServiceAccountClaims {
  iss: string;
  sub: string;
  aud: string[];
  exp: number;
  iat: number;
  nbf: number;
}

export type TokenCheck = { ok: true; claims: ServiceAccountClaims } | { ok: false; expired: boolean; reason: string };

const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');

export class OidcIssuers {
  private readonly keys = new Map<string, { privateKey: KeyObject; publicKey: KeyObject; kid: string }>();

  private keyOf(issuer: string) {
    let key = this.keys.get(issuer);
    if (!key) {
      key = { ...generateKeyPairSync('rsa', { modulusLength: 2048 }), kid: randomUUID() };
      this.keys.set(issuer, key);
    }
    return key;
  }

  /** A token as the kubelet projects it for a pod running as `namespace/serviceAccount`. */
  issue(issuer: string, namespace: string, serviceAccount: string, audience: string, ttlSeconds = 86_400, nowMs = Date.now()): string {
    const key = this.keyOf(issuer);
    const now = Math.floor(nowMs / 1000);
    const payload = {
      aud: [audience], exp: now + ttlSeconds, iat: now, nbf: now, iss: issuer, sub: `system:serviceaccount:${namespace}:${serviceAccount}`,
      'kubernetes.io': { namespace, serviceaccount: { name: serviceAccount, uid: randomUUID() } },
    };
    const unsigned = `${b64({ alg: 'RS256', kid: key.kid })}.${b64(payload)}`;
    return `${unsigned}.${createSign('RSA-SHA256').update(unsigned).sign(key.privateKey).toString('base64url')}`;
  }

  /** Signature by the named issuer's key, then exp/nbf (what STS checks before the trust policy). */
  verify(token: string, nowMs = Date.now()): TokenCheck {
    const parts = token.split('.');
    if (parts.length !== 3) return { ok: false, expired: false, reason: 'not a JWT' };
    const [header, payload, signature] = parts as [string, string, string];
    let claims: ServiceAccountClaims;
    let alg: unknown;
    try {
      alg = (JSON.parse(Buffer.from(header, 'base64url').toString('utf8')) as { alg?: unknown }).alg;
      claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as ServiceAccountClaims;
    } catch {
      return { ok: false, expired: false, reason: 'not a JWT' };
    }
    const key = typeof claims.iss === 'string' ? this.keys.get(claims.iss) : undefined;
    if (alg !== 'RS256' || !key) return { ok: false, expired: false, reason: `no key of issuer ${String(claims.iss)}` };
    if (!createVerify('RSA-SHA256').update(`${header}.${payload}`).verify(key.publicKey, Buffer.from(signature, 'base64url'))) {
      return { ok: false, expired: false, reason: 'signature does not verify' };
    }
    const now = nowMs / 1000;
    if (!(claims.exp > now) || claims.nbf > now + 60) return { ok: false, expired: true, reason: 'token expired' };
    if (!Array.isArray(claims.aud)) claims.aud = typeof claims.aud === 'string' ? [claims.aud] : [];
    return { ok: true, claims };
  }
}
