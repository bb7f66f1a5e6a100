// One probe connection: a DNS lookup, TCP, a TLS handshake (ALPN h2) and an HTTP/2 session, and
// gRPC unary calls on it as the wire protocol spells them (a length-prefixed message; the status
// in the trailers, or in the headers of a trailers-only answer; an HTTP status that is not 200
// mapped as gRPC clients map it). A prober needs only this much of a gRPC client: going without
// grpc-js's channel, resolver, load balancer, subchannel and interceptor layers makes a dial about
// 40 % cheaper, and a call on an open connection cheaper still (see the README's probe-cost table).
import http2 from 'node:http2';
import tls from 'node:tls';
import { isIP } from 'node:net';
import { promises as dns } from 'node:dns';
import { status } from '@grpc/grpc-js';

export interface UnaryAnswer {
  code: number;
  message: string;
  /** The reply message (without its 5-byte prefix) when the status is OK. */
  reply?: Buffer;
}

/** How grpc-js (and the gRPC spec's HTTP-to-gRPC mapping) reads an HTTP status that is not 200. */
function codeOfHttpStatus(httpStatus: number): number {
  if (httpStatus === 400) return status.INTERNAL;
  if (httpStatus === 401) return status.UNAUTHENTICATED;
  if (httpStatus === 403) return status.PERMISSION_DENIED;
  if (httpStatus === 404) return status.UNIMPLEMENTED;
  if ([429, 502, 503, 504].includes(httpStatus)) return status.UNAVAILABLE;
  return status.UNKNOWN;
}

function decodeMessage(value: string | string[] | undefined): string {
  const text = Array.isArray(value) ? value[0] ?? '' : value ?? '';
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** Addresses of a host: the system resolver, or the given DNS server (host:port) asked directly. */
export async function resolveHost(host: string, dnsServer?: string): Promise<string[]> {
  if (isIP(host)) return [host];
  if (!dnsServer) return (await dns.lookup(host, { all: true })).map((a) => a.address);
  const resolver = new dns.Resolver();
  resolver.setServers([dnsServer]);
  const v4 = await resolver.resolve4(host).catch(() => [] as string[]);
  const v6 = v4.length > 0 ? [] : await resolver.resolve6(host).catch(() => [] as string[]);
  if (v4.length + v6.length === 0) throw new Error(`DNS resolution failed for ${host} at ${dnsServer}`);
  return [...v4, ...v6];
}

function splitHostPort(address: string): { host: string; port: number } {
  const m = /^\[?([^\]]+?)\]?:(\d+)$/.exec(address);
  return m ? { host: m[1]!, port: Number(m[2]) } : { host: address, port: 443 };
}

export class H2Connection {
  private session?: http2.ClientHttp2Session;
  private connecting?: Promise<http2.ClientHttp2Session>;
  private closed = false;

  constructor(
    private readonly address: string,
    private readonly secureContext: tls.SecureContext,
    /** TLS server name and :authority; the address's host when not given. */
    private readonly serverName: string | undefined,
    private readonly dnsServer: string | undefined,
  ) {}

  /** Whether the connection can no longer carry calls (closed, or the server went away). */
  get dead(): boolean {
    return this.closed || (this.session !== undefined && (this.session.closed || this.session.destroyed));
  }

  async unary(path: string, request: Buffer, timeoutMs: number): Promise<UnaryAnswer> {
    const deadline = Date.now() + timeoutMs;
    let session: http2.ClientHttp2Session;
    try {
      session = await this.withTimeout(this.open(), deadline);
    } catch (err) {
      return (err as Error).name === 'DeadlineExceeded' ? { code: status.DEADLINE_EXCEEDED, message: 'Deadline exceeded while connecting' }
        : { code: status.UNAVAILABLE, message: `No connection established: ${(err as Error).message}` };
    }
    return new Promise<UnaryAnswer>((resolve) => {
      let settled = false;
      const chunks: Buffer[] = [];
      let headerCode: number | undefined;
      let headerMessage = '';
      const finish = (answer: UnaryAnswer) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        resolve(answer);
      };
      const remaining = Math.max(1, deadline - Date.now());
      const stream = session.request({
        ':method': 'POST', ':path': path, ':authority': this.authority, 'content-type': 'application/grpc', te: 'trailers',
        'grpc-timeout': `${remaining}m`, 'user-agent': 'platformd-probe',
      });
      const timer = setTimeout(() => {
        stream.close(http2.constants.NGHTTP2_CANCEL);
        finish({ code: status.DEADLINE_EXCEEDED, message: 'Deadline exceeded' });
      }, remaining);
      stream.on('response', (headers) => {
        const httpStatus = Number(headers[':status']);
        if (httpStatus !== 200) {
          headerCode = codeOfHttpStatus(httpStatus);
          headerMessage = `Received HTTP status code ${httpStatus}`;
        } else if (headers['grpc-status'] !== undefined) {
          headerCode = Number(headers['grpc-status']);
          headerMessage = decodeMessage(headers['grpc-message']);
        }
      });
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('trailers', (trailers) => {
        if (headerCode === undefined && trailers['grpc-status'] !== undefined) {
          headerCode = Number(trailers['grpc-status']);
          headerMessage = decodeMessage(trailers['grpc-message']);
        }
      });
      stream.on('end', () => {
        if (headerCode === undefined) return finish({ code: status.UNKNOWN, message: 'The server answered without a gRPC status' });
        if (headerCode !== status.OK) return finish({ code: headerCode, message: headerMessage });
        const body = Buffer.concat(chunks);
        if (body.length < 5 || body[0] !== 0 || body.readUInt32BE(1) !== body.length - 5) return finish({ code: status.INTERNAL, message: 'The reply is not one uncompressed message' });
        finish({ code: status.OK, message: 'OK', reply: body.subarray(5) });
      });
      stream.on('error', (err) => finish({ code: status.UNAVAILABLE, message: err.message }));
      stream.on('close', () => finish({ code: stream.rstCode === http2.constants.NGHTTP2_REFUSED_STREAM ? status.UNAVAILABLE : status.INTERNAL, message: `stream closed (code ${stream.rstCode})` }));
      const frame = Buffer.allocUnsafe(5 + request.length);
      frame[0] = 0;
      frame.writeUInt32BE(request.length, 1);
      request.copy(frame, 5);
      stream.end(frame);
    });
  }

  close(): void {
    this.closed = true;
    this.session?.close();
  }

  private get authority(): string {
    const { host, port } = splitHostPort(this.address);
    return `${this.serverName ?? host}:${port}`;
  }

  private open(): Promise<http2.ClientHttp2Session> {
    if (this.session && !this.session.closed && !this.session.destroyed) return Promise.resolve(this.session);
    this.connecting ??= this.dial().finally(() => { this.connecting = undefined; });
    return this.connecting;
  }

  private async dial(): Promise<http2.ClientHttp2Session> {
    if (this.closed) throw new Error('connection closed');
    const { host, port } = splitHostPort(this.address);
    const servername = this.serverName ?? host;
    let lastError: unknown;
    // Like gRPC's pick_first: the resolved addresses in order, the first that connects.
    for (const ip of await resolveHost(host, this.dnsServer)) {
      try {
        const socket = await new Promise<tls.TLSSocket>((resolve, reject) => {
          const s = tls.connect({ host: ip, port, servername: isIP(servername) ? undefined : servername, secureContext: this.secureContext, ALPNProtocols: ['h2'] });
          s.once('secureConnect', () => {
            s.off('error', reject);
            if (s.alpnProtocol !== 'h2') {
              s.destroy();
              reject(new Error(`the server did not negotiate HTTP/2 (ALPN ${String(s.alpnProtocol)})`));
            } else resolve(s);
          });
          s.once('error', reject);
        });
        const session = http2.connect(`https://${servername}:${port}`, { createConnection: () => socket });
        session.on('error', () => {}); // reported by the stream that meets it
        session.unref();
        this.session = session;
        return session;
      } catch (err) {
        lastError = err;
      }
    }
    throw lastError instanceof Error ? lastError : new Error(`no address for ${host}`);
  }

  private withTimeout<T>(p: Promise<T>, deadline: number): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => reject(Object.assign(new Error('deadline exceeded'), { name: 'DeadlineExceeded' })), Math.max(1, deadline - Date.now()));
      p.then((v) => { clearTimeout(timer); resolve(v); }, (e: unknown) => { clearTimeout(timer); reject(e); });
    });
  }
}
