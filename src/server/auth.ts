// Bearer-token guard for endpoints that trigger work. Constant-time comparison; the token is never echoed.
import { timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { sendError } from './errors.js';

export function bearerGuard(token: string | undefined) {
  return async (req: FastifyRequest, reply: FastifyReply) => {
    if (!token) return;
    const header = req.headers.authorization ?? '';
    const given = Buffer.from(header.startsWith('Bearer ') ? header.slice(7) : '');
    const want = Buffer.from(token);
    if (given.length !== want.length || !timingSafeEqual(given, want)) {
      return sendError(reply.header('www-authenticate', 'Bearer'), 401, 'unauthorized', 'a valid bearer token is required');
    }
  };
}
