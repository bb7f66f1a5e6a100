// GET / (the status page), GET /status/fragment (its content, for the page's refresh) and
// GET /status/probe-history (the last hour of probe results, JSON). Open like /status: they show
// what /status shows and trigger nothing, so PLATFORMD_API_TOKEN does not guard them.
import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import type { ServerDeps } from '../app.js';
import type { DaemonStatus } from '../../daemon-status.js';
import { PROBE_HISTORY_WINDOW_MS } from '../../probe/history.js';
import { html, type Html } from '../status-page/html.js';
import { pageContent } from '../status-page/sections.js';
import { STATUS_PAGE_CSP, statusDocument } from '../status-page/document.js';

function content(deps: ServerDeps): Html {
  const status = deps.status();
  // Before the first clone has told the daemon's settings, /status carries only `starting`.
  if (!Array.isArray(status.resources)) {
    const phase = (status as DaemonStatus & { starting?: string }).starting ?? 'starting';
    return html`<section aria-labelledby="h-starting"><h2 id="h-starting">Starting</h2><p>${phase}</p></section>`;
  }
  return pageContent({ status, history: deps.probeHistory?.() ?? [], now: Date.now(), historyWindowMs: PROBE_HISTORY_WINDOW_MS });
}

const htmlResponse = { response: { 200: { type: 'string', description: 'text/html' } } } as const;
/** Open items: the page's charts read what the history holds; a new field must not be dropped. */
const historyResponse = { response: { 200: { type: 'object', additionalProperties: true, properties: {
  windowMs: { type: 'number' }, services: { type: 'array', items: { type: 'object', additionalProperties: true } } } } } } as const;

function sendHtml(reply: FastifyReply, body: Html): FastifyReply {
  return reply.type('text/html; charset=utf-8').header('cache-control', 'no-store').header('x-content-type-options', 'nosniff')
    .header('referrer-policy', 'no-referrer').header('content-security-policy', STATUS_PAGE_CSP).send(body.text);
}

export const statusPageRoutes = (deps: ServerDeps): FastifyPluginAsync => async (app) => {
  app.get('/', { schema: htmlResponse }, async (_request, reply) => {
    const commit = deps.status().commit;
    return sendHtml(reply, statusDocument(`platformd status${commit ? ` — ${commit.slice(0, 7)}` : ''}`, content(deps)));
  });
  app.get('/status/fragment', { schema: htmlResponse }, async (_request, reply) => sendHtml(reply, content(deps)));
  app.get('/status/probe-history', { schema: historyResponse }, async () => ({ windowMs: PROBE_HISTORY_WINDOW_MS, services: deps.probeHistory?.() ?? [] }));
};
