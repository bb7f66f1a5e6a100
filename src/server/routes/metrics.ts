// /metrics in the Prometheus text format.
import type { FastifyPluginAsync } from 'fastify';
import type { ServerDeps } from '../app.js';

export const metricsRoutes = (deps: ServerDeps): FastifyPluginAsync => async (app) => {
  app.get('/metrics', { schema: { response: { 200: { type: 'string', description: 'Prometheus text exposition format' } } } }, async (_req, reply) => reply.type(deps.registry.contentType).send(await deps.registry.metrics()));
};
