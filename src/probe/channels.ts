// One connection per endpoint, reused by probes to it: a probe costs a request on an open HTTP/2
// connection, not a TLS handshake. A connection serves a bounded number of probes (the target's
// redialEvery), then a new one is dialled — a DNS lookup, TCP and a TLS handshake — so a changed
// record, certificate or ALB node is seen within that many probes rather than when the old
// connection happens to drop.
import { readFileSync } from 'node:fs';
import tls from 'node:tls';
import * as protoLoader from '@grpc/proto-loader';
import { findProtoService } from '../platform-spec/protos.js';
import { H2Connection } from './h2-connection.js';

export interface ChannelOptions {
  /** Extra root CA (PEM) trusted besides the system's, e.g. a private CA. */
  caFile?: string;
  /** Resolve names through this DNS server (host:port) instead of the system resolver. */
  dnsServer?: string;
}

export interface MethodHandle {
  path: string;
  serialize: (v: unknown) => Buffer;
  deserialize: (b: Buffer) => unknown;
}

/** A connection lent to one probe; give it back with release() when the call has ended. */
export interface Lease {
  connection: H2Connection;
  release(): void;
}

/** One dialled channel: how many probes it has served and how many are in flight on it. */
interface Dialled {
  connection: H2Connection;
  probes: number;
  inFlight: number;
  retired: boolean;
}

/** Where a probe connects: host:port, and the TLS name and :authority when that is not the host. */
export interface Endpoint {
  address: string;
  serverName?: string;
}

export class Channels {
  private readonly dialled = new Map<string, Dialled>();
  private readonly methods = new Map<string, MethodHandle>();
  private readonly secureContext: tls.SecureContext;
  private dials = 0;

  constructor(private readonly options: ChannelOptions = {}) {
    const systemRoots = (() => {
      try {
        return readFileSync(process.env.SSL_CERT_FILE ?? '/etc/ssl/certs/ca-certificates.crt');
      } catch {
        return Buffer.alloc(0);
      }
    })();
    const extra = options.caFile ? readFileSync(options.caFile) : Buffer.alloc(0);
    // One SecureContext (the trusted roots parsed once), shared by every dial.
    this.secureContext = tls.createSecureContext(options.caFile ? { ca: Buffer.concat([systemRoots, Buffer.from('\n'), extra]) } : {});
  }

  /** Connections dialled so far (each a DNS lookup, TCP and a TLS handshake). */
  get dialCount(): number {
    return this.dials;
  }

  /**
   * The client for a probe to `endpoint`: the open one, unless it has already served `redialEvery`
   * probes, in which case a new channel is dialled and the old one closes once its calls end.
   */
  lease(endpoint: Endpoint, redialEvery = Number.POSITIVE_INFINITY): Lease {
    const key = endpoint.serverName === undefined ? endpoint.address : `${endpoint.address}|${endpoint.serverName}`;
    let d = this.dialled.get(key);
    if (d && (d.probes >= redialEvery || d.connection.dead)) {
      this.retire(d);
      d = undefined;
    }
    if (!d) {
      this.dials++;
      d = { connection: new H2Connection(endpoint.address, this.secureContext, endpoint.serverName, this.options.dnsServer), probes: 0, inFlight: 0, retired: false };
      this.dialled.set(key, d);
    }
    const lent = d;
    lent.probes++;
    lent.inFlight++;
    let released = false;
    return {
      connection: lent.connection,
      release: () => {
        if (released) return;
        released = true;
        lent.inFlight--;
        if (lent.retired && lent.inFlight === 0) lent.connection.close();
      },
    };
  }

  /** Serializers for a unary method, loaded once from the .proto that declares the service. */
  method(protosDir: string, grpcService: string, method: string): MethodHandle {
    const key = `${protosDir}|${grpcService}/${method}`;
    let h = this.methods.get(key);
    if (!h) {
      const info = findProtoService(protosDir, grpcService);
      if (!info) throw new Error(`no service ${grpcService} under ${protosDir}`);
      const def = protoLoader.loadSync(info.file, { includeDirs: [protosDir], keepCase: false, longs: String, enums: String, defaults: true });
      const m = (def[grpcService] as protoLoader.ServiceDefinition | undefined)?.[method];
      if (!m) throw new Error(`${grpcService} has no method ${method}`);
      h = { path: m.path, serialize: m.requestSerialize as (v: unknown) => Buffer, deserialize: m.responseDeserialize as (b: Buffer) => unknown };
      this.methods.set(key, h);
    }
    return h;
  }

  close(): void {
    for (const d of this.dialled.values()) d.connection.close();
    this.dialled.clear();
  }

  private retire(d: Dialled): void {
    d.retired = true;
    if (d.inFlight === 0) d.connection.close();
  }
}
