// /status: commit, last reconcile, each resource's state and drift, operator actions, probes.
import type { FastifyPluginAsync } from 'fastify';
import type { ServerDeps } from '../app.js';

export const statusRoutes = (deps: ServerDeps): FastifyPluginAsync => async (app) => {
  app.get('/status', async () => deps.status());
};
