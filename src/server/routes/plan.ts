// GET /plan: the plan of HEAD against live state. POST /plan: the plan of a posted platform.yaml
// (for pull-request checks) — validation errors are 422 with line and column. Neither changes anything.
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { ServerDeps } from '../app.js';
import { bearerGuard } from '../auth.js';
import { loadSpecTextIsolated } from '../../platform-spec/load-isolated.js';
import { PlanBusy, PlanGate } from '../plan-gate.js';
import { renderPlanText } from '../../plan/render-text.js';
import { planToJson } from '../../plan/render-json.js';
import { renderPlanMarkdown } from '../../plan/render-markdown.js';
import type { Plan } from '../../plan/types.js';
import type { ResolvedSpec } from '../../platform-spec/resolved.js';
import { errorResponses, sendError } from '../errors.js';

/** What POST /plan parses as the spec's text (JSON is YAML too); anything else is 415 naming these. */
const SPEC_CONTENT_TYPES = ['application/yaml', 'application/x-yaml', 'text/yaml', 'text/plain', 'application/json'];

const query = { type: 'object', properties: { format: { type: 'string', enum: ['json', 'markdown', 'text'] } } } as const;
const headers = { type: 'object', properties: { authorization: { type: 'string' }, accept: { type: 'string' } } } as const;
/** 200 is the plan as JSON (render-json's open shape) or, per Accept/format, text or Markdown. */
const planBody = { type: 'object', additionalProperties: true } as const;
const getSchema = { querystring: query, headers, response: { 200: planBody, ...errorResponses(400, 401, 429, 500, 503) } } as const;
const postSchema = {
  querystring: query, headers, body: { type: 'string' },
  response: { 200: planBody, ...errorResponses(400, 401, 413, 415, 422, 429, 500, 503) },
} as const;

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
  const gated = async (req: FastifyRequest, reply: FastifyReply, spec: ResolvedSpec, protosDir: string): Promise<Plan | undefined> => {
    const gone = new AbortController();
    const onClose = () => { if (!reply.raw.writableEnded) gone.abort(new Error('the client closed the connection')); };
    req.raw.socket.once('close', onClose);
    try {
      return (await gate.run(gone.signal, (signal) => deps.plan(spec, protosDir, signal))).plan;
    } catch (err) {
      if (err instanceof PlanBusy) {
        sendError(reply.header('retry-after', String(err.retryAfterSeconds)), 429, 'busy', err.message, { retryAfter: err.retryAfterSeconds });
        return undefined;
      }
      if (gone.signal.aborted) return undefined; // nobody is listening
      throw err;
    } finally {
      req.raw.socket.off('close', onClose);
    }
  };

  app.get('/plan', { schema: getSchema, preHandler: bearerGuard(deps.apiToken) }, async (req, reply) => {
    const current = deps.current();
    if (!current) return sendError(reply, 503, 'no_valid_spec', 'no valid spec has been loaded yet');
    const plan = await gated(req, reply, current.spec, current.protosDir);
    if (!plan) return reply;
    return send(req, reply, plan, current.commit);
  });
  // In this plugin's scope only: the spec is parsed (with positions) by the spec loader, not here.
  app.removeContentTypeParser(['application/json', 'text/plain']);
  app.addContentTypeParser(SPEC_CONTENT_TYPES, { parseAs: 'string' }, (_req, body, done) => done(null, body));
  app.post('/plan', { schema: postSchema, config: { accepts: SPEC_CONTENT_TYPES }, preHandler: bearerGuard(deps.apiToken) }, async (req, reply) => {
    const text = typeof req.body === 'string' ? req.body : '';
    if (!text.trim()) return sendError(reply, 400, 'bad_request', 'post the platform.yaml as the request body (Content-Type: application/yaml)');
    const loaded = await loadSpecTextIsolated(text, 'platform.yaml', { protosDir: deps.protosDir() });
    if (!loaded.ok) {
      const diagnostics = loaded.diagnostics.map((d) => ({ severity: d.severity, code: d.code, message: d.summary, path: d.path, line: d.line, column: d.column }));
      const errors = diagnostics.filter((d) => d.severity === 'error').length;
      return sendError(reply, 422, 'invalid_spec', `the posted spec is invalid (${errors} error${errors === 1 ? '' : 's'})`, { diagnostics });
    }
    const plan = await gated(req, reply, loaded.spec, deps.protosDir());
    if (!plan) return reply;
    return send(req, reply, plan);
  });
};
