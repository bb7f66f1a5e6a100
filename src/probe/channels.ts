// One gRPC client (and so one channel) per address, reused by every probe to it: a probe costs a
// request on an open HTTP/2 connection, not a TLS handshake.
import { readFileSync } from 'node:fs';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { findProtoService } from '../platform-spec/protos.js';

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

export class Channels {
  private readonly clients = new Map<string, grpc.Client>();
  private readonly methods = new Map<string, MethodHandle>();
  private readonly credentials: grpc.ChannelCredentials;

  constructor(private readonly options: ChannelOptions = {}) {
    const systemRoots = (() => {
      try {
        return readFileSync(process.env.SSL_CERT_FILE ?? '/etc/ssl/certs/ca-certificates.crt');
      } catch {
        return Buffer.alloc(0);
      }
    })();
    const extra = options.caFile ? readFileSync(options.caFile) : Buffer.alloc(0);
    this.credentials = options.caFile ? grpc.credentials.createSsl(Buffer.concat([systemRoots, Buffer.from('\n'), extra])) : grpc.credentials.createSsl();
  }

  client(address: string): grpc.Client {
    let c = this.clients.get(address);
    if (!c) {
      const target = this.options.dnsServer ? `dns://${this.options.dnsServer}/${address}` : `dns:///${address}`;
      c = new grpc.Client(target, this.credentials, {
        // Re-resolve promptly when a record changes; keep the connection alive between probes.
        'grpc.dns_min_time_between_resolutions_ms': 1_000,
        'grpc.keepalive_time_ms': 60_000,
        'grpc.initial_reconnect_backoff_ms': 200,
        'grpc.max_reconnect_backoff_ms': 2_000,
      });
      this.clients.set(address, c);
    }
    return c;
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
    for (const c of this.clients.values()) c.close();
    this.clients.clear();
  }
}
