// The ALB data path: for every emulated load balancer a TLS + HTTP/2 listener on a loopback
// address this process claimed (see loopback.ts), on the one port the whole process serves ALBs
// on (see claimPort), serving the certificate of its HTTPS listener
// and routing each request by the load balancer's CURRENT rules to a healthy target, gRPC end to
// end (HTTP/2 to the target, streaming both ways, trailers kept). No matching rule → the
// listener's default action (404, no grpc-status); no healthy target → 503.
import http2 from 'node:http2';
import tls from 'node:tls';
import net, { type AddressInfo } from 'node:net';
import type { AlbView, AlbViewSource } from '../alb-view.js';
import type { IssuedCertificate } from '../ca.js';
import { LoopbackAddresses } from './loopback.js';

export interface AlbFrontend {
  arn: string;
  dnsName: string;
  ip: string;
  port: number;
}

function globMatch(pattern: string, path: string): boolean {
  const re = new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`);
  return re.test(path);
}

const HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'upgrade', 'proxy-connection', 'host']);

export class AlbDataplane {
  private readonly frontends = new Map<string, { server: http2.Http2SecureServer; info: AlbFrontend }>();
  private readonly upstreams = new Map<string, http2.ClientHttp2Session>();
  private servedPort?: number;
  private unsubscribe?: () => void;
  private syncing: Promise<void> = Promise.resolve();
  private rr = 0;
  private readonly sessions = new Set<http2.ServerHttp2Session>();

  constructor(
    private readonly view: AlbViewSource,
    private readonly material: (arn: string) => IssuedCertificate | undefined,
    private readonly loopback = new LoopbackAddresses(),
    private readonly preferPort = 443,
  ) {}

  /**
   * Decides, once, the port every ALB of this process listens on: 443 where the process may bind
   * it, else a free unprivileged port. Call before start().
   * NOTE(alb-port): one port for all ALBs, reported (port, `platformd sandbox` output) so the
   * probes dial it (`platformd run --probe-port`). DNS SRV would be the DNS way to carry a port,
   * but gRPC clients never read it (grpc-js's DNS resolver asks only A/AAAA and TXT), so an SRV
   * answer would tell nobody; a wrong :443 would fail every probe with no reason shown.
   */
  async claimPort(): Promise<number> {
    const probe = (port: number) => async (ip: string) => {
      const server = net.createServer();
      const bound = await new Promise<number>((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, ip, () => resolve((server.address() as AddressInfo).port));
      });
      await new Promise<void>((resolve) => server.close(() => resolve()));
      return bound;
    };
    let claimed: { ip: string; bound: number };
    try {
      // EACCES: an unprivileged process (ports below net.ipv4.ip_unprivileged_port_start);
      // EADDRINUSE on every try: something holds *:443.
      claimed = await this.loopback.claim(probe(this.preferPort));
    } catch {
      claimed = await this.loopback.claim(probe(0));
    }
    this.loopback.release(claimed.ip);
    this.servedPort = claimed.bound;
    return claimed.bound;
  }

  /** The port every ALB of this process listens on (claimPort() decides it). */
  get port(): number {
    if (this.servedPort === undefined) throw new Error('AlbDataplane.claimPort() was not called');
    return this.servedPort;
  }

  start(): void {
    this.unsubscribe = this.view.onChange(() => this.sync());
    this.sync();
  }

  /** Where each ALB listens (the DNS answers point at these addresses). */
  addresses(): AlbFrontend[] {
    return [...this.frontends.values()].map((f) => f.info);
  }

  addressOf(dnsName: string): AlbFrontend | undefined {
    const n = dnsName.toLowerCase().replace(/\.$/, '').replace(/^dualstack\./, '');
    return this.addresses().find((a) => a.dnsName.toLowerCase() === n);
  }

  idle(): Promise<void> {
    return this.syncing;
  }

  private sync(): void {
    this.syncing = this.syncing.then(() => this.reconcile()).catch(() => undefined);
  }

  private async reconcile(): Promise<void> {
    const lbs = this.view.loadBalancers();
    for (const lb of lbs) {
      if (this.frontends.has(lb.arn) || !lb.listeners.some((l) => l.protocol === 'HTTPS')) continue;
      // A load balancer without a data path would fail every probe silently: say why, once.
      await this.open(lb).catch((err: Error) => console.error(`sandbox: ALB ${lb.dnsName} has no data path: ${err.message}`));
    }
    for (const [arn, f] of this.frontends) {
      if (lbs.some((lb) => lb.arn === arn)) continue;
      this.frontends.delete(arn);
      f.server.close();
      this.loopback.release(f.info.ip);
      for (const s of this.sessions) if ((s.socket as { localAddress?: string } | undefined)?.localAddress === f.info.ip) s.destroy();
    }
  }

  private current(arn: string): AlbView | undefined {
    return this.view.loadBalancers().find((lb) => lb.arn === arn);
  }

  private async open(lb: AlbView): Promise<void> {
    const context = () => {
      const listener = this.current(lb.arn)?.listeners.find((l) => l.protocol === 'HTTPS');
      const m = listener?.certificateArns.map((a) => this.material(a)).find(Boolean);
      return m ? tls.createSecureContext({ cert: m.certPem, key: m.keyPem }) : undefined;
    };
    const server = http2.createSecureServer({
      allowHTTP1: false,
      SNICallback: (_name, cb) => {
        const ctx = context();
        if (ctx) cb(null, ctx);
        else cb(new Error('no certificate on this listener'));
      },
    });
    server.on('stream', (stream, headers) => this.route(lb.arn, stream, headers));
    server.on('sessionError', () => {});
    server.on('session', (session) => {
      this.sessions.add(session);
      session.on('close', () => this.sessions.delete(session));
    });
    const port = this.port;
    // A server whose listen() failed may listen again (Node's net.Server contract).
    const { ip } = await this.loopback.claim((address) => new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, address, () => {
        server.off('error', reject);
        resolve();
      });
    }));
    this.frontends.set(lb.arn, { server, info: { arn: lb.arn, dnsName: lb.dnsName, ip, port } });
  }

  private route(arn: string, stream: http2.ServerHttp2Stream, headers: http2.IncomingHttpHeaders): void {
    const reply = (status: number, body: string) => {
      if (stream.closed) return;
      stream.respond({ ':status': status, 'content-type': 'text/plain; charset=utf-8' });
      stream.end(body);
    };
    const lb = this.current(arn);
    const listener = lb?.listeners.find((l) => l.protocol === 'HTTPS');
    if (!lb || !listener) return reply(503, 'Service Unavailable');
    const path = String(headers[':path'] ?? '/').split('?')[0]!;
    const rule = listener.rules.find((r) => r.priority !== 'default' && r.pathPatterns.some((p) => globMatch(p, path)))
      ?? listener.rules.find((r) => r.priority === 'default');
    if (!rule || rule.action.type === 'fixed-response') {
      const fixed = rule?.action.type === 'fixed-response' ? rule.action : { statusCode: 404, body: '' };
      return reply(fixed.statusCode, fixed.body ?? '');
    }
    const targets = (lb.targetGroups.get(rule.action.targetGroupArn)?.targets ?? []).filter((t) => t.healthy && t.port > 0);
    if (targets.length === 0) return reply(503, 'Service Temporarily Unavailable');
    const target = targets[this.rr++ % targets.length]!;
    this.proxy(`${target.ip}:${target.port}`, stream, headers);
  }

  private session(address: string): http2.ClientHttp2Session {
    let s = this.upstreams.get(address);
    if (!s || s.closed || s.destroyed) {
      s = http2.connect(`http://${address}`);
      s.on('error', () => this.upstreams.delete(address));
      s.on('close', () => this.upstreams.delete(address));
      s.unref();
      this.upstreams.set(address, s);
    }
    return s;
  }

  private proxy(address: string, stream: http2.ServerHttp2Stream, headers: http2.IncomingHttpHeaders): void {
    const out: http2.OutgoingHttpHeaders = {};
    for (const [k, v] of Object.entries(headers)) if (!HOP.has(k) && !(k.startsWith(':') && ![':method', ':path', ':authority'].includes(k))) out[k] = v;
    out[':scheme'] = 'http';
    let up: http2.ClientHttp2Stream;
    try {
      up = this.session(address).request(out);
    } catch {
      if (!stream.closed) stream.respond({ ':status': 502 });
      stream.end();
      return;
    }
    let trailers: http2.IncomingHttpHeaders | undefined;
    stream.pipe(up);
    up.on('response', (h, flags) => {
      if (stream.closed) return;
      const resp: http2.OutgoingHttpHeaders = {};
      for (const [k, v] of Object.entries(h)) if (!HOP.has(k)) resp[k] = v;
      const endStream = (flags & http2.constants.NGHTTP2_FLAG_END_STREAM) !== 0;
      if (endStream) {
        stream.respond(resp, { endStream: true });
        return;
      }
      stream.respond(resp, { waitForTrailers: true });
      up.pipe(stream);
    });
    up.on('trailers', (t) => { trailers = t; });
    stream.on('wantTrailers', () => {
      const t: http2.OutgoingHttpHeaders = {};
      for (const [k, v] of Object.entries(trailers ?? {})) if (!k.startsWith(':')) t[k] = v;
      stream.sendTrailers(Object.keys(t).length ? t : { 'grpc-status': '0' });
    });
    up.on('error', () => {
      if (!stream.headersSent && !stream.closed) stream.respond({ ':status': 502 });
      stream.close(http2.constants.NGHTTP2_INTERNAL_ERROR);
    });
    stream.on('close', () => { if (!up.closed) up.close(); });
  }

  async close(): Promise<void> {
    this.unsubscribe?.();
    for (const s of this.upstreams.values()) s.destroy();
    this.upstreams.clear();
    for (const s of this.sessions) s.destroy();
    await Promise.all([...this.frontends.values()].map((f) => new Promise<void>((resolve) => f.server.close(() => resolve()))));
    this.frontends.clear();
  }
}
