// restJson1 (EKS): operations routed by method + path template, labels percent-decoded, JSON
// bodies; errors carry the shape name in x-amzn-ErrorType and {"message"} in the body.
import { ServiceError, type ProtocolCodec, type RawResponse } from '../service.js';
import { restRouter, type RestRoute } from './rest-routes.js';

export type { RestRoute } from './rest-routes.js';

export function restJsonCodec(routes: RestRoute[]): ProtocolCodec {
  const route = restRouter(routes);
  return {
    decode(req) {
      const match = route(req);
      if (!match) throw new ServiceError('NotFoundException', `No route for ${req.method} ${req.path}`, 404);
      if (req.body.length > 0) {
        try {
          Object.assign(match.input, JSON.parse(req.body.toString('utf8')));
        } catch {
          throw new ServiceError('BadRequestException', 'Request body is not valid JSON', 400);
        }
      }
      return { operation: match.route.operation, input: match.input };
    },
    encodeResult(operation, output): RawResponse {
      const status = routes.find((r) => r.operation === operation)?.status;
      return { status: status ?? 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify(output ?? {}) };
    },
    encodeError(err): RawResponse {
      return { status: err.status, headers: { 'content-type': 'application/json', 'x-amzn-errortype': err.code }, body: JSON.stringify({ message: err.message, ...err.extra }) };
    },
  };
}
