// /healthz: the process answers. /readyz: the first reconcile has finished.
import type { FastifyPluginAsync } from 'fastify';
import type { ServerDeps } from '../app.js';

export const healthRoutes = (deps: ServerDeps): FastifyPluginAsync => async (app) => {
  app.get('/healthz', async () => ({ status: 'ok' }));
  app.get('/readyz', async (_req, reply) => (deps.ready() ? { status: 'ready' } : reply.code(503).send({ status: 'starting' })));
};
