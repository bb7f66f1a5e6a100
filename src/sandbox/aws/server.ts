// The emulated AWS endpoint: one HTTP server that routes each request to a service by its SigV4
// signing name (the most robust key; see shared/reference/aws-wire-protocols.md §3), applies
// fault injection, records the call and lets the service's codec speak its wire protocol.
// Control endpoints under /_sandbox/ serve tests that run the CLI as a child process.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { CallLog } from './call-log.js';
import { accessDenied, Faults, type FaultRule } from './faults.js';
import { ScaledClock } from '../clock.js';
import { unknownAccessKey } from './credentials.js';
import { ServiceError, type EmulatedService, type RawRequest, type RequestContext } from './service.js';
import { AuthorizationDenied, type AuthorizationRecord, type RequestAuthorizer } from './iam-auth/enforcer.js';

const SANDBOX_ACCOUNT_ID = '123456789012';

export interface AwsEmulatorOptions {
  clock?: ScaledClock;
  accountId?: string;
  /** Whether an access key belongs to the account; requests signed with any other key are refused (default: every key is known). */
  knowsAccessKey?: (accessKeyId: string) => boolean;
}

export class AwsEmulator {
  readonly callLog = new CallLog();
  readonly faults = new Faults();
  readonly clock: ScaledClock;
  readonly accountId: string;
  private readonly knowsAccessKey: (accessKeyId: string) => boolean;
  private readonly services = new Map<string, EmulatedService>();
  private server?: Server;
  /** IAM authorisation of each call before its operation runs (unset: every call is allowed). */
  authorizer?: RequestAuthorizer;

  constructor(options: AwsEmulatorOptions = {}) {
    this.clock = options.clock ?? new ScaledClock(1 / 60);
    this.accountId = options.accountId ?? SANDBOX_ACCOUNT_ID;
    this.knowsAccessKey = options.knowsAccessKey ?? (() => true);
  }

  register(service: EmulatedService): this {
    this.services.set(service.signingName, service);
    return this;
  }

  service<T extends EmulatedService>(name: string): T {
    for (const s of this.services.values()) if (s.name === name) return s as T;
    throw new Error(`no emulated service named ${name}`);
  }

  /** Listen on 127.0.0.1; port 0 picks an ephemeral port. Resolves to the endpoint URL. */
  async listen(port = 0, host = '127.0.0.1'): Promise<string> {
    this.server = createServer((req, res) => {
      this.handle(req, res).catch((err) => {
        res.statusCode = 500;
        res.end(String(err));
      });
    });
    this.server.keepAliveTimeout = 5_000;
    await new Promise<void>((resolve, reject) => {
      this.server!.once('error', reject);
      this.server!.listen(port, host, () => resolve());
    });
    return this.endpoint;
  }

  get endpoint(): string {
    const addr = this.server?.address() as AddressInfo | null;
    if (!addr) throw new Error('emulator is not listening');
    return `http://127.0.0.1:${addr.port}`;
  }

  async close(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  reset(): void {
    for (const s of this.services.values()) s.reset();
    this.callLog.clear();
    this.faults.clear();
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readBody(req);
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname.startsWith('/_sandbox/')) return this.control(url, req.method ?? 'GET', body, res);

    const raw: RawRequest = { method: req.method ?? 'GET', path: url.pathname, query: url.searchParams, headers: req.headers, body };
    const scope = credentialScope(raw);
    const service = scope ? this.services.get(scope.signingName) : undefined;
    const ctx: RequestContext = {
      requestId: randomUUID(),
      accountId: this.accountId,
      region: scope?.region ?? 'us-east-1',
      accessKeyId: scope?.accessKeyId ?? 'anonymous',
      clock: this.clock,
      host: req.headers.host ?? '127.0.0.1',
      accept: req.headers.accept,
    };
    if (!service) {
      res.writeHead(400, { 'content-type': 'text/plain', 'x-amzn-requestid': ctx.requestId });
      res.end(`no emulated service for signing name ${scope?.signingName ?? '(unsigned request)'}`);
      return;
    }
    this.callLog.noteCaller(ctx.requestId, req.headers);

    let operation = 'Unknown';
    let response;
    let authorized: AuthorizationRecord | undefined;
    try {
      const decoded = service.codec.decode(raw);
      operation = decoded.operation;
      if (!this.knowsAccessKey(ctx.accessKeyId)) {
        const refused = unknownAccessKey(service.name);
        throw new ServiceError(refused.code, refused.message, refused.status);
      }
      const fault = this.faults.pick(service.name, operation);
      if (fault.latencyMs > 0) await new Promise((r) => setTimeout(r, fault.latencyMs));
      if (fault.failure === 'drop') {
        this.callLog.add({ service: service.name, operation, status: 0, errorCode: 'ConnectionDropped', requestId: ctx.requestId, input: decoded.input });
        req.socket.destroy();
        return;
      }
      if (fault.failure === 'throttle') throw new ServiceError(service.throttle.code, service.throttle.message, service.throttle.status);
      if (fault.failure === 'server-error') throw new ServiceError('InternalError', 'We encountered an internal error. Please try again.', 500);
      if (fault.failure === 'access-denied') {
        const denied = accessDenied(service.name, operation);
        throw new ServiceError(denied.code, denied.message, denied.status);
      }
      const handler = service.operations[operation];
      if (!handler) throw new ServiceError('InvalidAction', `The action ${operation} is not valid for this web service.`, 400);
      authorized = await this.authorizer?.authorize(service.name, operation, decoded.input, ctx);
      const output = await handler(decoded.input, ctx);
      response = service.codec.encodeResult(operation, output, ctx);
      this.callLog.add({ service: service.name, operation, status: response.status, requestId: ctx.requestId, input: decoded.input, ...decisionFields(authorized) });
      if (fault.failure === 'drop-response') {
        req.socket.destroy();
        return;
      }
    } catch (err) {
      const serviceError = err instanceof ServiceError
        ? err
        : new ServiceError('InternalError', err instanceof Error ? err.message : String(err), 500);
      response = service.codec.encodeError(serviceError, ctx, operation);
      this.callLog.add({ service: service.name, operation, status: response.status, errorCode: serviceError.code, requestId: ctx.requestId, input: undefined,
        ...(err instanceof AuthorizationDenied ? { principal: err.principalArn, decision: 'denied' as const } : decisionFields(authorized)) });
    }
    res.writeHead(response.status, {
      ...response.headers,
      'x-amzn-requestid': ctx.requestId,
      date: new Date().toUTCString(),
    });
    res.end(response.body);
  }

  /** Test hooks for child-process runs: faults, call log, reset. */
  private control(url: URL, method: string, body: Buffer, res: ServerResponse): void {
    const json = (status: number, value: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(value));
    };
    if (url.pathname === '/_sandbox/faults' && method === 'POST') {
      this.faults.add(JSON.parse(body.toString('utf8')) as FaultRule);
      return json(200, { ok: true });
    }
    if (url.pathname === '/_sandbox/faults' && method === 'DELETE') {
      this.faults.clear();
      return json(200, { ok: true });
    }
    if (url.pathname === '/_sandbox/calls') {
      const since = Number(url.searchParams.get('since') ?? 0);
      // ?agents=1 adds the emulated controllers' in-process calls (every principal's decisions).
      return json(200, url.searchParams.get('agents') === '1' ? this.callLog.everyCall(since) : this.callLog.since(since));
    }
    json(404, { error: 'unknown sandbox control endpoint' });
  }
}

/** The call-log fields of an enforced principal's allowed call. */
function decisionFields(record: AuthorizationRecord | undefined): { principal?: string; decision?: 'allowed' } {
  return record ? { principal: record.principalArn, decision: 'allowed' } : {};
}

/** Signing name, region and access key from SigV4 (header, or query for presigned URLs). */
function credentialScope(req: RawRequest): { accessKeyId: string; region: string; signingName: string } | undefined {
  const auth = req.headers.authorization;
  const credential = typeof auth === 'string'
    ? /Credential=([^,\s]+)/.exec(auth)?.[1]
    : req.query.get('X-Amz-Credential') ?? undefined;
  if (!credential) return undefined;
  const [accessKeyId, , region, signingName] = credential.split('/');
  if (!accessKeyId || !region || !signingName) return undefined;
  return { accessKeyId, region, signingName };
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}
