// restXml (Route 53): operations routed by method + path, XML request bodies, XML responses
// written by the handlers; errors as <ErrorResponse><Error><Type/><Code/><Message/></Error>.
import { XMLParser } from 'fast-xml-parser';
import { ServiceError, type ProtocolCodec, type RawResponse } from '../service.js';
import { escapeXml } from './xml.js';
import { restRouter, type RestRoute } from './rest-routes.js';

/** Elements that are always lists, so one child still parses as an array. */
const LISTS = new Set(['Change', 'ResourceRecord', 'Tag', 'Key', 'NameServer', 'ResourceId']);
const parser = new XMLParser({ ignoreAttributes: true, parseTagValue: false, isArray: (name) => LISTS.has(name) });

/** A handler's answer: the root element name, its XML children, and the HTTP status. */
export interface XmlResult {
  root: string;
  xml: string;
  status?: number;
  headers?: Record<string, string>;
}

export function restXmlCodec(routes: RestRoute[], xmlns: string): ProtocolCodec {
  const route = restRouter(routes);
  return {
    decode(req) {
      const match = route(req);
      if (!match) throw new ServiceError('InvalidInput', `No operation for ${req.method} ${req.path}`, 400);
      if (req.body.length > 0) {
        const doc = parser.parse(req.body.toString('utf8'));
        const root = Object.keys(doc).find((k) => k !== '?xml');
        if (root) Object.assign(match.input, doc[root]);
      }
      return { operation: match.route.operation, input: match.input };
    },
    encodeResult(_operation, output): RawResponse {
      const r = output as XmlResult;
      return { status: r.status ?? 200, headers: { 'content-type': 'text/xml', ...r.headers }, body: `<?xml version="1.0" encoding="UTF-8"?>\n<${r.root} xmlns="${xmlns}">${r.xml}</${r.root}>` };
    },
    encodeError(err, ctx): RawResponse {
      return { status: err.status, headers: { 'content-type': 'text/xml' },
        body: `<?xml version="1.0"?>\n<ErrorResponse xmlns="${xmlns}"><Error><Type>${err.status >= 500 ? 'Receiver' : 'Sender'}</Type><Code>${escapeXml(err.code)}</Code><Message>${escapeXml(err.message)}</Message></Error><RequestId>${ctx.requestId}</RequestId></ErrorResponse>` };
    },
  };
}

/** `<Name>value</Name>` with escaping; undefined values are omitted. */
export function el(name: string, value: unknown): string {
  if (value === undefined || value === null) return '';
  return `<${name}>${typeof value === 'string' && !value.startsWith('<') ? escapeXml(value) : String(value)}</${name}>`;
}
