// awsJson1_1 (ACM): POST / with X-Amz-Target <Prefix>.<Operation>, JSON in and out; errors as
// HTTP 400 with {"__type": "<Code>", "message": "..."}.
import { ServiceError, type ProtocolCodec } from '../service.js';

export function jsonCodec(targetPrefix: string): ProtocolCodec {
  return {
    decode(req) {
      const target = String(req.headers['x-amz-target'] ?? '');
      if (!target.startsWith(`${targetPrefix}.`)) throw new ServiceError('UnknownOperationException', `Unknown target ${target}`, 400);
      let input: unknown = {};
      try {
        input = req.body.length ? JSON.parse(req.body.toString('utf8')) : {};
      } catch {
        throw new ServiceError('SerializationException', 'Malformed JSON', 400);
      }
      return { operation: target.slice(targetPrefix.length + 1), input };
    },
    encodeResult: (_op, output) => ({ status: 200, headers: { 'content-type': 'application/x-amz-json-1.1' }, body: JSON.stringify(output ?? {}) }),
    encodeError: (err) => ({ status: err.status, headers: { 'content-type': 'application/x-amz-json-1.1' }, body: JSON.stringify({ __type: err.code, message: err.message }) }),
  };
}
