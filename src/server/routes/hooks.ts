// POST /hooks/git: a push webhook (GitHub signature or GitLab token) triggers an immediate fetch.
import type { FastifyPluginAsync } from 'fastify';
import type { ServerDeps } from '../app.js';
import { createHash } from 'node:crypto';
import { verifyWebhook } from '../../source/webhook.js';
import { errorResponses, sendError } from '../errors.js';

const accepted = { type: 'object', required: ['status', 'provider'], properties: { status: { type: 'string' }, provider: { type: 'string' } } } as const;
/** The signature or token headers are checked by verifyWebhook; the schema only types them. */
const schema = {
  headers: {
    type: 'object',
    properties: {
      'x-hub-signature-256': { type: 'string' }, 'x-gitlab-token': { type: 'string' },
      'x-github-delivery': { type: 'string' }, 'x-gitlab-event-uuid': { type: 'string' },
    },
  },
  response: { 200: accepted, 202: accepted, ...errorResponses(401, 404, 413) },
} as const;

/**
 * Deliveries seen recently, by the provider's delivery id (X-GitHub-Delivery,
 * X-Gitlab-Event-UUID) or, lacking one, the hash of the signed body: a captured request replayed
 * within the window triggers nothing. Bounded in time and count.
 */
class RecentDeliveries {
  private readonly seen = new Map<string, number>();
  constructor(private readonly windowMs = 15 * 60_000, private readonly max = 10_000) {}

  /** True the first time `id` is offered within the window. */
  first(id: string, now = Date.now()): boolean {
    for (const [key, at] of this.seen) {
      if (now - at < this.windowMs && this.seen.size < this.max) break;
      this.seen.delete(key); // oldest first (insertion order)
    }
    if (this.seen.has(id)) return false;
    this.seen.set(id, now);
    return true;
  }
}

export const hookRoutes = (deps: ServerDeps): FastifyPluginAsync => async (app) => {
  // The signature covers the raw bytes: keep them instead of parsing JSON.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));
  const deliveries = new RecentDeliveries();
  app.post('/hooks/git', { schema }, async (req, reply) => {
    if (!deps.webhookSecret) return sendError(reply, 404, 'webhooks_not_configured', 'webhooks are not configured (set PLATFORMD_WEBHOOK_SECRET)');
    const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    const verdict = verifyWebhook(req.headers, body, deps.webhookSecret);
    if (!verdict.ok) return sendError(reply, 401, 'unauthorized', verdict.reason);
    const header = req.headers['x-github-delivery'] ?? req.headers['x-gitlab-event-uuid'];
    const delivery = typeof header === 'string' && header ? `id:${header}` : `body:${createHash('sha256').update(body).digest('hex')}`;
    if (!deliveries.first(delivery)) return reply.code(200).send({ status: 'duplicate delivery ignored', provider: verdict.provider });
    deps.trigger('webhook');
    return reply.code(202).send({ status: 'accepted', provider: verdict.provider });
  });
};
