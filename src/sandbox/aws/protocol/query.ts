// The query protocols: form-encoded requests, XML responses. `ec2` flavour: flattened lists
// (`Filter.1.Name`), no Result wrapper, `<item>` lists, `<Response><Errors>` errors.
// `aws` flavour (IAM, STS, ELBv2): `.member.N` lists, `<OpResult>` wrapper, `<ErrorResponse>`.
import type { ProtocolCodec, RawRequest, RawResponse, RequestContext, ServiceError } from '../service.js';
import { ServiceError as ServiceErrorClass } from '../service.js';
import { escapeXml, toXml } from './xml.js';

/**
 * Turn flattened form keys into nested objects and arrays:
 * `Filter.1.Name=a&Filter.1.Value.1=b` → { Filter: [{ Name: 'a', Value: ['b'] }] }.
 * For awsQuery the `member` segment is dropped (`Tags.member.1.Key` → Tags[0].Key);
 * `entry.N.key/value` maps become objects.
 */
function unflattenQuery(params: URLSearchParams, flavour: 'ec2' | 'aws'): Record<string, any> {
  const root: Record<string, any> = {};
  for (const [rawKey, value] of params) {
    if (rawKey === 'Action' || rawKey === 'Version') continue;
    const parts = rawKey.split('.').filter((p) => !(flavour === 'aws' && (p === 'member' || p === 'entry')));
    let node: any = root;
    for (let i = 0; i < parts.length; i++) {
      const part = parts[i]!;
      const last = i === parts.length - 1;
      const key: string | number = /^\d+$/.test(part) ? Number(part) - 1 : part;
      if (last) {
        node[key] = value;
      } else {
        const nextIsIndex = /^\d+$/.test(parts[i + 1]!);
        if (node[key] === undefined || node[key] === '') node[key] = nextIsIndex ? [] : {};
        node = node[key];
      }
    }
  }
  return compactArrays(root);
}

function compactArrays(v: any): any {
  if (Array.isArray(v)) return v.filter((x) => x !== undefined).map(compactArrays);
  if (v && typeof v === 'object') {
    for (const k of Object.keys(v)) v[k] = compactArrays(v[k]);
    // awsQuery maps arrive as [{key, value}] after dropping `entry`; leave that to handlers.
  }
  return v;
}

function parseForm(req: RawRequest): URLSearchParams {
  const body = req.body.toString('utf8');
  // GET requests (presigned STS) carry the parameters in the query string.
  return body.length > 0 ? new URLSearchParams(body) : req.query;
}

export function queryCodec(options: { flavour: 'ec2' | 'aws'; xmlns: string }): ProtocolCodec {
  const style = { listItem: options.flavour === 'ec2' ? 'item' : 'member' };
  return {
    decode(req) {
      const params = parseForm(req);
      const operation = params.get('Action');
      if (!operation) throw new ServiceErrorClass('MissingAction', 'Missing Action parameter', 400);
      return { operation, input: unflattenQuery(params, options.flavour) };
    },
    encodeResult(operation, output, ctx): RawResponse {
      const members = toXml(output ?? {}, style);
      const body = options.flavour === 'ec2'
        ? `<?xml version="1.0" encoding="UTF-8"?>\n<${operation}Response xmlns="${options.xmlns}"><requestId>${ctx.requestId}</requestId>${members}</${operation}Response>`
        : `<${operation}Response xmlns="${options.xmlns}"><${operation}Result>${members}</${operation}Result><ResponseMetadata><RequestId>${ctx.requestId}</RequestId></ResponseMetadata></${operation}Response>`;
      return { status: 200, headers: { 'content-type': 'text/xml;charset=UTF-8' }, body };
    },
    encodeError(err: ServiceError, ctx: RequestContext): RawResponse {
      const msg = escapeXml(err.message);
      const body = options.flavour === 'ec2'
        ? `<?xml version="1.0" encoding="UTF-8"?>\n<Response><Errors><Error><Code>${escapeXml(err.code)}</Code><Message>${msg}</Message></Error></Errors><RequestID>${ctx.requestId}</RequestID></Response>`
        : `<ErrorResponse xmlns="${options.xmlns}"><Error><Type>${err.status >= 500 ? 'Receiver' : 'Sender'}</Type><Code>${escapeXml(err.code)}</Code><Message>${msg}</Message></Error><RequestId>${ctx.requestId}</RequestId></ErrorResponse>`;
      return { status: err.status, headers: { 'content-type': 'text/xml;charset=UTF-8' }, body };
    },
  };
}
