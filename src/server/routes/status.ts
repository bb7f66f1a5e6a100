// /status: commit, last reconcile, each resource's state and drift, operator actions, probes.
import type { FastifyPluginAsync } from 'fastify';
import type { ServerDeps } from '../app.js';

const openObject = { type: 'object', additionalProperties: true } as const;
const nullable = (type: string) => ({ type: [type, 'null'] });

/**
 * The shape of /status. NOTE(open): additionalProperties everywhere — a serializer that drops a
 * field it was not told about would hide data (fast-json-stringify writes `{}` for an object
 * without declared properties), so only what every client relies on is typed, nothing is required
 * (during startup the body is `{ starting }`; a standby answers `{ standby, leadership, message }`).
 */
const statusResponseSchema = {
  type: 'object',
  additionalProperties: true,
  properties: {
    instanceId: { type: 'string' }, starting: { type: 'string' }, standby: { type: 'boolean' }, leadership: openObject,
    mode: { type: 'string', enum: ['apply', 'detect'] }, branch: { type: 'string' }, commit: nullable('string'),
    spec: openObject, conditions: { type: 'array', items: openObject },
    lastAppliedRevision: nullable('string'), lastAttemptedRevision: nullable('string'),
    reconciles: { type: 'array', items: openObject }, lastReconcile: { ...openObject, type: ['object', 'null'] },
    lastSuccessAt: nullable('string'), retry: { ...openObject, type: ['object', 'null'] }, reconciling: { type: 'boolean' },
    resources: { type: 'array', items: openObject }, operatorActions: { type: 'array', items: openObject },
    probes: { type: 'array', items: openObject }, source: openObject, outputs: { ...openObject, type: ['object', 'null'] },
  },
} as const;

export const statusRoutes = (deps: ServerDeps): FastifyPluginAsync => async (app) => {
  app.get('/status', { schema: { response: { 200: statusResponseSchema } } }, async () => deps.status());
};
