// /healthz: the process answers (from its first second). /readyz: the first reconcile has
// finished; until then 503 with what it is waiting for.
import type { FastifyPluginAsync } from 'fastify';
import type { ServerDeps } from '../app.js';
import { errorResponses, sendError } from '../errors.js';

const statusBody = { type: 'object', required: ['status'], properties: { status: { type: 'string' } } } as const;

export const healthRoutes = (deps: ServerDeps): FastifyPluginAsync => async (app) => {
  app.get('/healthz', { schema: { response: { 200: statusBody } } }, async () => ({ status: 'ok' }));
  app.get('/readyz', { schema: { response: { 200: statusBody, ...errorResponses(503) } } }, async (_req, reply) => (deps.ready() ? { status: 'ready' }
    : sendError(reply, 503, 'not_ready', deps.notReadyReason?.() ?? 'the first reconcile has not finished')));
};
