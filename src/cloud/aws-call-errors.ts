// What a failed AWS call says. Every error leaving an SDK client carries the operation it came
// from ("eks:ListAddons"), and an answer that is not an AWS answer at all — an HTML page from a
// proxy, an empty body, an emulator that does not implement the route, nothing listening — becomes
// a PLATFORMD_AWS_ENDPOINT error naming the operation, the HTTP status and the endpoint, instead
// of the SDK's generic "NotFound" / "UnknownError" / `SyntaxError: Unexpected token '<'`, which hid
// which call broke and made a 404 page read as "no such resource".
import { ErrorCodes, PlatformdError, tagOperation } from '../errors.js';

/** Socket errors that mean "there is no AWS endpoint at this address". */
const UNREACHABLE = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH']);

/** An answer (or its absence) that did not come from an AWS service. Never retried by the engine. */
export class AwsEndpointError extends PlatformdError {
  /**
   * The SDK's retry strategy reads the status (5xx) and the cause's socket code (ECONNREFUSED):
   * a few quick retries inside the SDK, then this error.
   */
  readonly $metadata: { httpStatusCode?: number };
  constructor(message: string, details: { status?: number; cause?: unknown }) {
    super(ErrorCodes.AWS_ENDPOINT, message, { cause: details.cause });
    this.$metadata = { httpStatusCode: details.status };
  }
}

interface RawResponse {
  statusCode: number;
  headers: Record<string, string | undefined>;
  body?: unknown;
}

interface RawRequest {
  protocol?: string;
  hostname?: string;
  port?: number;
}

/**
 * True when an error answer has the shape every AWS protocol gives its errors: a code in the
 * `x-amzn-ErrorType` header (REST-JSON), a JSON body with `__type`/`code` (JSON 1.0/1.1,
 * REST-JSON), or an XML body with `<Code>` (query, EC2, REST-XML). See
 * shared/reference/aws-wire-protocols.md and the Smithy protocol specs (awsJson1_1 "Operation
 * error serialization", awsQuery "Operation error serialization").
 */
export function isAwsErrorAnswer(headers: Record<string, string | undefined>, body: string): boolean {
  if (Object.keys(headers).some((h) => h.toLowerCase() === 'x-amzn-errortype')) return true;
  const text = body.trim();
  if (text.startsWith('{')) {
    try {
      const json = JSON.parse(text) as Record<string, unknown>;
      return ['__type', 'code', 'Code'].some((k) => typeof json[k] === 'string');
    } catch {
      return false;
    }
  }
  return text.startsWith('<') && /<Code>[^<]+<\/Code>/.test(text);
}

/** A few words on what came back instead of an AWS error. */
export function describeBody(headers: Record<string, string | undefined>, body: string): string {
  const text = body.trim();
  if (text === '') return 'an empty body';
  const type = Object.entries(headers).find(([h]) => h.toLowerCase() === 'content-type')?.[1] ?? '';
  if (/html/i.test(type) || /^<(!doctype html|html)/i.test(text)) return 'an HTML page';
  const flat = text.replace(/\s+/g, ' ');
  return `"${flat.length > 60 ? `${flat.slice(0, 60)}…` : flat}"`;
}

function hostOf(request: RawRequest | undefined): string {
  if (!request?.hostname) return 'the endpoint';
  return `${request.protocol ?? 'https:'}//${request.hostname}${request.port ? `:${request.port}` : ''}`;
}

async function readBody(body: unknown): Promise<Uint8Array> {
  if (body === undefined || body === null) return new Uint8Array();
  if (body instanceof Uint8Array) return body;
  const chunks: Uint8Array[] = [];
  for await (const chunk of body as AsyncIterable<Uint8Array | string>) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  return Buffer.concat(chunks);
}

type Handler = (args: { request?: unknown }) => Promise<{ response: unknown }>;
interface Stack {
  add: (middleware: (next: Handler, context: { commandName?: string }) => Handler, options: Record<string, unknown>) => void;
}

/** Install both middlewares on an SDK client; `service` is the IAM prefix used in messages (ec2, eks…). */
export function explainCallErrors<T extends { middlewareStack: unknown }>(client: T, service: string): T {
  const stack = client.middlewareStack as Stack;
  const operationOf = (context: { commandName?: string }) => `${service}:${(context.commandName ?? 'Unknown').replace(/Command$/, '')}`;
  // Inside the SDK's deserializer (deserialize step, low priority), so it sees each raw answer.
  stack.add((next, context) => async (args) => {
    const operation = operationOf(context);
    const where = hostOf(args.request as RawRequest | undefined);
    let out;
    try {
      out = await next(args);
    } catch (err) {
      const code = (err as { code?: unknown }).code;
      if (typeof code === 'string' && UNREACHABLE.has(code)) {
        throw new AwsEndpointError(`${operation}: cannot reach ${where}`, { cause: err });
      }
      throw err;
    }
    const response = out.response as RawResponse;
    if (response.statusCode < 300) return out;
    const bytes = await readBody(response.body);
    const text = Buffer.from(bytes).toString('utf8');
    if (!isAwsErrorAnswer(response.headers, text)) {
      throw new AwsEndpointError(
        `${operation}: HTTP ${response.statusCode} from ${where} with ${describeBody(response.headers, text)}, not an AWS error answer; is AWS_ENDPOINT_URL right?`,
        { status: response.statusCode },
      );
    }
    response.body = bytes; // read once here; the SDK's deserializer accepts bytes
    return out;
  }, { step: 'deserialize', name: 'platformdNonAwsAnswer', priority: 'low' });
  // Outside the SDK's retries (initialize step): one tag per call, whatever the final error is.
  stack.add((next, context) => async (args) => {
    try {
      return await next(args);
    } catch (err) {
      tagOperation(err, operationOf(context));
      throw err;
    }
  }, { step: 'initialize', name: 'platformdOperationName', priority: 'high' });
  return client;
}
