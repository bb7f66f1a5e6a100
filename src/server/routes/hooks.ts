// POST /hooks/git: a push webhook (GitHub signature or GitLab token) triggers an immediate fetch.
import type { FastifyPluginAsync } from 'fastify';
import type { ServerDeps } from '../app.js';
import { verifyWebhook } from '../../source/webhook.js';

export const hookRoutes = (deps: ServerDeps): FastifyPluginAsync => async (app) => {
  // The signature covers the raw bytes: keep them instead of parsing JSON.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));
  app.post('/hooks/git', async (req, reply) => {
    if (!deps.webhookSecret) return reply.code(404).send({ error: 'webhooks are not configured (set a webhook secret)' });
    const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    const verdict = verifyWebhook(req.headers, body, deps.webhookSecret);
    if (!verdict.ok) return reply.code(401).send({ error: 'unauthorized', message: verdict.reason });
    deps.trigger('webhook');
    return reply.code(202).send({ status: 'accepted', provider: verdict.provider });
  });
};
