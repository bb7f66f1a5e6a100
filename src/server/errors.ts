// One error body for every non-2xx answer, `{ error: { code, message, details? } }`, its JSON
// schema for the routes' response declarations, and the one error and not-found handler (after
// Fastify's error catalogue: stable codes a client can switch on, a message a person can read).
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { describeError } from '../errors.js';
import { redactUrls } from '../source/git-credentials.js';

/** Stable codes of the HTTP API's errors. */
export type ApiErrorCode =
  | 'bad_request' | 'unauthorized' | 'not_found' | 'method_not_allowed' | 'body_too_large' | 'unsupported_media_type'
  | 'invalid_spec' | 'busy' | 'not_ready' | 'no_valid_spec' | 'not_leader' | 'webhooks_not_configured' | 'internal';

export interface ApiErrorBody {
  error: { code: ApiErrorCode; message: string; details?: Record<string, unknown> };
}

/** The error body's schema; `details` is open because each code carries its own. */
const errorBodySchema = {
  type: 'object',
  required: ['error'],
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message'],
      properties: { code: { type: 'string' }, message: { type: 'string' }, details: { type: 'object', additionalProperties: true } },
    },
  },
} as const;

/** Response schemas for the given error statuses, to spread into a route's `response`. */
export function errorResponses(...statuses: number[]): Record<number, typeof errorBodySchema> {
  return Object.fromEntries(statuses.map((s) => [s, errorBodySchema]));
}

function errorBody(code: ApiErrorCode, message: string, details?: Record<string, unknown>): ApiErrorBody {
  return { error: { code, message, ...(details ? { details } : {}) } };
}

/** Send the error body with `status`. */
export function sendError(reply: FastifyReply, status: number, code: ApiErrorCode, message: string, details?: Record<string, unknown>): FastifyReply {
  return reply.code(status).type('application/json; charset=utf-8').send(errorBody(code, message, details));
}

/** Content types a route parses, named by its 415 answer (route config `accepts`). */
const DEFAULT_ACCEPTED_TYPES = ['application/json'];

function acceptedTypes(req: FastifyRequest): string[] {
  const config = req.routeOptions.config as { accepts?: string[] } | undefined;
  return config?.accepts ?? DEFAULT_ACCEPTED_TYPES;
}

/**
 * Install the one error handler and not-found handler on `app` (the root instance, so every
 * plugin inherits them). Fastify's own refusals keep their status with our body; anything
 * unexpected is a 500 carrying the cause chain.
 */
export function installErrorHandlers(app: FastifyInstance): void {
  app.setNotFoundHandler((req, reply) => sendError(reply, 404, 'not_found', `no route for ${req.method} ${req.url.split('?')[0]}`));
  app.setErrorHandler((err: FastifyError, req, reply) => {
    if (err.validation) {
      return sendError(reply, 400, 'bad_request', `invalid request: ${err.message}`, { context: err.validationContext, validation: err.validation });
    }
    switch (err.code) {
      case 'FST_ERR_CTP_BODY_TOO_LARGE':
        return sendError(reply, 413, 'body_too_large', err.message);
      case 'FST_ERR_CTP_INVALID_MEDIA_TYPE': {
        const accepts = acceptedTypes(req);
        return sendError(reply, 415, 'unsupported_media_type',
          `Content-Type ${JSON.stringify(req.headers['content-type'] ?? '')} is not accepted here; send one of: ${accepts.join(', ')}`, { accepts });
      }
    }
    const status = err.statusCode ?? 500;
    if (status >= 400 && status < 500) return sendError(reply, status, status === 405 ? 'method_not_allowed' : 'bad_request', err.message);
    // NOTE(secrets): the cause chain helps whoever called (an AWS refusal while planning); URLs in
    // it lose their user-info, and nothing else secret is in an error platformd raises.
    req.log.error({ err }, 'request failed');
    return sendError(reply, 500, 'internal', `the request failed: ${redactUrls(describeError(err))}`);
  });
}
