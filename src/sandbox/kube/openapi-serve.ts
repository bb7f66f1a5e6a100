// GET /openapi/v2 as kube-apiserver serves it (k8s.io/kube-openapi/pkg/handler/handler.go
// RegisterOpenAPIVersionedService, read at commit d427ff9ee9ad05f5da435abbb7c5929cb713ac56):
//
// - Content negotiation: the Accept clauses (none = */*), best first as goautoneg sorts them (q, then
//   concrete before wildcard), each tried against application/json, then the protobuf media types
//   application/com.github.proto-openapi.spec.v2@v1.0+protobuf (deprecated; what kubectl before 1.27
//   sends) and application/com.github.proto-openapi.spec.v2.v1.0+protobuf. The first match is served;
//   either protobuf type answers with Content-Type application/com.github.proto-openapi.spec.v2.v1.0+protobuf.
//   No match: 406 with an empty body.
// - The protobuf body is gnostic's openapi.v2.Document built from the JSON (openapi/gnostic-v2.ts).
// - ETag: the quoted upper-case hex SHA-512 of the JSON, shared by both bodies (they Vary: Accept);
//   If-None-Match with it (or *) answers 304 (http.ServeContent). Last-Modified: when the JSON was built.
// - gzip (NYTimes/gziphandler) when Accept-Encoding allows it and the body is at least 1400 bytes.
//
// Both bodies are built once per distinct JSON and kept: the document only changes with what the
// server serves, and kubectl fetches it on every validating command.
import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import type { IncomingHttpHeaders } from 'node:http';
import { encodeOpenApiV2 } from './openapi/gnostic-v2.js';

export const PROTOBUF_V2_DEPRECATED = 'application/com.github.proto-openapi.spec.v2@v1.0+protobuf';
export const PROTOBUF_V2 = 'application/com.github.proto-openapi.spec.v2.v1.0+protobuf';
/** gziphandler.DefaultMinSize: smaller bodies go out uncompressed. */
const GZIP_MIN_SIZE = 1400;

export interface OpenApiReply { code: number; headers: Record<string, string>; body: Buffer }

interface Representation { body: Buffer; gzipped?: Buffer }
interface Built { json: string; etag: string; lastModified: string; representations: Map<string, Representation> }

let built: Built | undefined;

function representation(b: Built, contentType: string): Representation {
  let r = b.representations.get(contentType);
  if (!r) {
    r = { body: contentType === PROTOBUF_V2 ? Buffer.from(encodeOpenApiV2(JSON.parse(b.json))) : Buffer.from(b.json) };
    b.representations.set(contentType, r);
  }
  return r;
}

/** gziphandler acceptsGzip: Accept-Encoding names gzip with a q above 0 (a bare * does not count). */
function acceptsGzip(acceptEncoding: string | undefined): boolean {
  return (acceptEncoding ?? '').split(',').some((part) => {
    const [coding = '', ...params] = part.split(';').map((s) => s.trim());
    const q = Number(params.find((p) => p.startsWith('q='))?.slice(2) ?? 1);
    return coding.toLowerCase() === 'gzip' && q > 0;
  });
}

/** Accept clauses, best first (goautoneg.ParseAccept: by q, then concrete type and subtype before "*"). */
export function acceptClauses(accept: string): { type: string; subType: string }[] {
  const clauses = (accept.trim() || '*/*').split(',').map((part, index) => {
    const [range = '', ...params] = part.split(';').map((s) => s.trim());
    const [type = '', subType = ''] = range === '*' ? ['*', '*'] : range.split('/');
    const q = Number(params.find((p) => p.startsWith('q='))?.slice(2) ?? 1);
    return { type, subType, q: Number.isNaN(q) ? 0 : q, index };
  }).filter((c) => c.type && c.subType);
  const wild = (s: string) => (s === '*' ? 1 : 0);
  clauses.sort((a, b) => b.q - a.q || wild(a.type) - wild(b.type) || wild(a.subType) - wild(b.subType) || a.index - b.index);
  return clauses;
}

/** What /openapi/v2 returns to a GET with these headers, for the document rendered as `json`. */
export function serveOpenApiV2(json: string, headers: IncomingHttpHeaders): OpenApiReply {
  if (built?.json !== json) {
    built = { json, etag: `"${createHash('sha512').update(json).digest('hex').toUpperCase()}"`, lastModified: new Date().toUTCString(), representations: new Map() };
  }
  const b = built;
  const accepted: [string, string, string][] = [
    ['application', 'json', 'application/json'],
    ['application', PROTOBUF_V2_DEPRECATED.slice('application/'.length), PROTOBUF_V2],
    ['application', PROTOBUF_V2.slice('application/'.length), PROTOBUF_V2],
  ];
  for (const clause of acceptClauses(headers.accept ?? '')) {
    for (const [type, subType, returned] of accepted) {
      if ((clause.type !== type && clause.type !== '*') || (clause.subType !== subType && clause.subType !== '*')) continue;
      const validators = { vary: 'Accept', etag: b.etag, 'last-modified': b.lastModified };
      const match = headers['if-none-match'];
      if (match && (match.trim() === '*' || match.split(',').some((tag) => tag.trim().replace(/^W\//, '') === b.etag))) {
        return { code: 304, headers: validators, body: Buffer.alloc(0) };
      }
      const common = { ...validators, 'content-type': returned };
      const r = representation(b, returned);
      if (r.body.length >= GZIP_MIN_SIZE && acceptsGzip(headers['accept-encoding'])) {
        r.gzipped ??= gzipSync(r.body);
        return { code: 200, headers: { ...common, vary: 'Accept, Accept-Encoding', 'content-encoding': 'gzip' }, body: r.gzipped };
      }
      return { code: 200, headers: common, body: r.body };
    }
  }
  return { code: 406, headers: { vary: 'Accept' }, body: Buffer.alloc(0) };
}
