// /healthz: the process answers (from its first second). /readyz: the first reconcile has
// finished; until then 503 with what it is waiting for.
import type { FastifyPluginAsync } from 'fastify';
import type { ServerDeps } from '../app.js';

export const healthRoutes = (deps: ServerDeps): FastifyPluginAsync => async (app) => {
  app.get('/healthz', async () => ({ status: 'ok' }));
  app.get('/readyz', async (_req, reply) => (deps.ready() ? { status: 'ready' }
    : reply.code(503).send({ status: 'starting', reason: deps.notReadyReason?.() ?? 'the first reconcile has not finished' })));
};
