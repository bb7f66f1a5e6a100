// POST /reconcile: run a reconcile now (coalesced with any already pending).
import type { FastifyPluginAsync } from 'fastify';
import type { ServerDeps } from '../app.js';
import { bearerGuard } from '../auth.js';

export const reconcileRoutes = (deps: ServerDeps): FastifyPluginAsync => async (app) => {
  app.post('/reconcile', { preHandler: bearerGuard(deps.apiToken) }, async (_req, reply) => {
    deps.trigger('manual');
    return reply.code(202).send({ status: 'accepted' });
  });
};
