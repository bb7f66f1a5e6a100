// GET /plan: the plan of HEAD against live state. POST /plan: the plan of a posted platform.yaml
// (for pull-request checks) — validation errors are 422 with line and column. Neither changes anything.
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { ServerDeps } from '../app.js';
import { bearerGuard } from '../auth.js';
import { loadSpecTextIsolated } from '../../spec/load-isolated.js';
import { PlanBusy, PlanGate } from '../plan-gate.js';
import { withDefaults } from '../../spec/defaults.js';
import { renderPlanText } from '../../plan/render-text.js';
import { planToJson } from '../../plan/render-json.js';
import { renderPlanMarkdown } from '../../plan/render-markdown.js';
import type { Plan } from '../../plan/types.js';
import type { PlatformSpec } from '../../spec/types.js';

function wanted(req: FastifyRequest): 'json' | 'markdown' | 'text' {
  const format = (req.query as { format?: string }).format;
  if (format === 'json' || format === 'markdown') return format;
  if (format) return 'text';
  const accept = req.headers.accept ?? '';
  return accept.includes('application/json') ? 'json' : accept.includes('text/markdown') ? 'markdown' : 'text';
}

function send(req: FastifyRequest, reply: FastifyReply, plan: Plan, commit?: string) {
  const format = wanted(req);
  if (format === 'json') return reply.type('application/json').send({ ...planToJson(plan), ...(commit ? { commit } : {}) });
  if (format === 'markdown') return reply.type('text/markdown; charset=utf-8').send(`${renderPlanMarkdown(plan, commit ? { title: commit.slice(0, 12) } : {})}\n`);
  return reply.type('text/plain; charset=utf-8').send(`${commit ? `Plan of ${commit}:\n\n` : ''}${renderPlanText(plan)}\n`);
}

export const planRoutes = (deps: ServerDeps): FastifyPluginAsync => async (app) => {
  const gate = new PlanGate();
  /** Plan through the gate, cancelled when the client goes away; 429 when the queue is full. */
  const gated = async (req: FastifyRequest, reply: FastifyReply, spec: PlatformSpec, protosDir: string): Promise<Plan | undefined> => {
    const gone = new AbortController();
    const onClose = () => { if (!reply.raw.writableEnded) gone.abort(new Error('the client closed the connection')); };
    req.raw.socket.once('close', onClose);
    try {
      return (await gate.run(gone.signal, (signal) => deps.plan(spec, protosDir, signal))).plan;
    } catch (err) {
      if (err instanceof PlanBusy) {
        reply.code(429).header('retry-after', String(err.retryAfterSeconds)).send({ error: 'busy', message: err.message });
        return undefined;
      }
      if (gone.signal.aborted) return undefined; // nobody is listening
      throw err;
    } finally {
      req.raw.socket.off('close', onClose);
    }
  };

  app.get('/plan', { preHandler: bearerGuard(deps.apiToken) }, async (req, reply) => {
    const current = deps.current();
    if (!current) return reply.code(503).send({ error: 'no valid spec has been loaded yet' });
    const plan = await gated(req, reply, current.spec, current.protosDir);
    if (!plan) return reply;
    return send(req, reply, plan, current.commit);
  });
  app.addContentTypeParser(['application/yaml', 'application/x-yaml', 'text/yaml', 'text/plain'], { parseAs: 'string' }, (_req, body, done) => done(null, body));
  app.post('/plan', { preHandler: bearerGuard(deps.apiToken) }, async (req, reply) => {
    const text = typeof req.body === 'string' ? req.body : '';
    if (!text.trim()) return reply.code(400).send({ error: 'post the platform.yaml as the request body (Content-Type: application/yaml)' });
    const loaded = await loadSpecTextIsolated(text, 'platform.yaml', { protosDir: deps.protosDir() });
    if (!loaded.ok) {
      return reply.code(422).send({ error: 'invalid spec', diagnostics: loaded.diagnostics.map((d) => ({ severity: d.severity, code: d.code, message: d.summary, path: d.path, line: d.line, column: d.column })) });
    }
    const plan = await gated(req, reply, withDefaults(loaded.spec), deps.protosDir());
    if (!plan) return reply;
    return send(req, reply, plan);
  });
};
