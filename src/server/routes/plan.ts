// GET /plan: the plan of HEAD against live state. POST /plan: the plan of a posted platform.yaml
// (for pull-request checks) — validation errors are 422 with line and column. Neither changes anything.
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { ServerDeps } from '../app.js';
import { bearerGuard } from '../auth.js';
import { loadSpecText } from '../../spec/load.js';
import { withDefaults } from '../../spec/defaults.js';
import { renderPlanText } from '../../plan/render-text.js';
import { planToJson } from '../../plan/render-json.js';
import type { Plan } from '../../plan/types.js';

function wantsJson(req: FastifyRequest): boolean {
  const format = (req.query as { format?: string }).format;
  if (format) return format === 'json';
  return (req.headers.accept ?? '').includes('application/json');
}

function send(req: FastifyRequest, reply: FastifyReply, plan: Plan, commit?: string) {
  if (wantsJson(req)) return reply.type('application/json').send({ ...planToJson(plan), ...(commit ? { commit } : {}) });
  return reply.type('text/plain; charset=utf-8').send(`${commit ? `Plan of ${commit}:\n\n` : ''}${renderPlanText(plan)}\n`);
}

export const planRoutes = (deps: ServerDeps): FastifyPluginAsync => async (app) => {
  app.get('/plan', async (req, reply) => {
    const current = deps.current();
    if (!current) return reply.code(503).send({ error: 'no valid spec has been loaded yet' });
    const { plan } = await deps.plan(current.spec, current.protosDir);
    return send(req, reply, plan, current.commit);
  });
  app.addContentTypeParser(['application/yaml', 'application/x-yaml', 'text/yaml', 'text/plain'], { parseAs: 'string' }, (_req, body, done) => done(null, body));
  app.post('/plan', { preHandler: bearerGuard(deps.apiToken) }, async (req, reply) => {
    const text = typeof req.body === 'string' ? req.body : '';
    if (!text.trim()) return reply.code(400).send({ error: 'post the platform.yaml as the request body (Content-Type: application/yaml)' });
    const loaded = loadSpecText(text, 'platform.yaml', { protosDir: deps.protosDir() });
    if (!loaded.ok) {
      return reply.code(422).send({ error: 'invalid spec', diagnostics: loaded.diagnostics.map((d) => ({ severity: d.severity, code: d.code, message: d.summary, path: d.path, line: d.line, column: d.column })) });
    }
    const { plan } = await deps.plan(withDefaults(loaded.spec), deps.protosDir());
    return send(req, reply, plan);
  });
};
