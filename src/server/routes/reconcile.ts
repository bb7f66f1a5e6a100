// POST /reconcile: run a reconcile now (coalesced with any already pending).
import type { FastifyPluginAsync } from 'fastify';
import type { ServerDeps } from '../app.js';
import { bearerGuard } from '../auth.js';
import { errorResponses } from '../errors.js';

const schema = {
  headers: { type: 'object', properties: { authorization: { type: 'string' } } },
  response: { 202: { type: 'object', required: ['status'], properties: { status: { type: 'string' } } }, ...errorResponses(401) },
} as const;

export const reconcileRoutes = (deps: ServerDeps): FastifyPluginAsync => async (app) => {
  app.post('/reconcile', { schema, preHandler: bearerGuard(deps.apiToken) }, async (_req, reply) => {
    deps.trigger('manual');
    return reply.code(202).send({ status: 'accepted' });
  });
};
