// restJson1 (EKS): operations routed by method + path template, labels percent-decoded, JSON
// bodies; errors carry the shape name in x-amzn-ErrorType and {"message"} in the body.
import { ServiceError, type ProtocolCodec, type RawResponse } from '../service.js';

export interface RestRoute {
  method: string;
  /** Path template with {labels}, e.g. /clusters/{name}/node-groups/{nodegroupName}. */
  path: string;
  operation: string;
  /** HTTP status of a success (most are 200). */
  status?: number;
}

export function restJsonCodec(routes: RestRoute[]): ProtocolCodec {
  const compiled = routes.map((r) => ({
    ...r,
    re: new RegExp(`^${r.path.replace(/\{(\w+)\+?\}/g, '([^/]+)')}/?$`),
    labels: [...r.path.matchAll(/\{(\w+)\+?\}/g)].map((m) => m[1]!),
  }));
  return {
    decode(req) {
      for (const r of compiled) {
        if (r.method !== req.method) continue;
        const m = r.re.exec(req.path);
        if (!m) continue;
        const input: Record<string, unknown> = {};
        r.labels.forEach((label, i) => { input[label] = decodeURIComponent(m[i + 1]!); });
        for (const [k, v] of req.query) input[k] = v;
        if (req.body.length > 0) {
          try {
            Object.assign(input, JSON.parse(req.body.toString('utf8')));
          } catch {
            throw new ServiceError('BadRequestException', 'Request body is not valid JSON', 400);
          }
        }
        return { operation: r.operation, input };
      }
      throw new ServiceError('NotFoundException', `No route for ${req.method} ${req.path}`, 404);
    },
    encodeResult(operation, output): RawResponse {
      const route = compiled.find((r) => r.operation === operation);
      return { status: route?.status ?? 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify(output ?? {}) };
    },
    encodeError(err): RawResponse {
      return { status: err.status, headers: { 'content-type': 'application/json', 'x-amzn-errortype': err.code }, body: JSON.stringify({ message: err.message, ...err.extra }) };
    },
  };
}
