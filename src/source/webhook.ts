// Verifying push webhooks: GitHub signs the raw body with HMAC-SHA256 (X-Hub-Signature-256:
// sha256=<hex>); GitLab sends a shared token (X-Gitlab-Token). Comparisons are constant-time.
import { createHmac, timingSafeEqual } from 'node:crypto';

export type WebhookVerdict = { ok: true; provider: 'github' | 'gitlab' } | { ok: false; reason: string };

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** Pure: whether a webhook request carries a valid signature or token for `secret`. */
export function verifyWebhook(headers: Record<string, string | string[] | undefined>, rawBody: Buffer, secret: string): WebhookVerdict {
  const header = (name: string) => {
    const v = headers[name];
    return Array.isArray(v) ? v[0] : v;
  };
  const signature = header('x-hub-signature-256');
  if (signature !== undefined) {
    const expected = `sha256=${createHmac('sha256', secret).update(rawBody).digest('hex')}`;
    return safeEqual(signature, expected) ? { ok: true, provider: 'github' } : { ok: false, reason: 'X-Hub-Signature-256 does not match the body' };
  }
  const token = header('x-gitlab-token');
  if (token !== undefined) return safeEqual(token, secret) ? { ok: true, provider: 'gitlab' } : { ok: false, reason: 'X-Gitlab-Token does not match' };
  return { ok: false, reason: 'no X-Hub-Signature-256 or X-Gitlab-Token header' };
}
