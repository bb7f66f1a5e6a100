// One gRPC client (and so one channel) per address, reused by probes to it: a probe costs a
// request on an open HTTP/2 connection, not a TLS handshake. A connection serves a bounded number
// of probes (the target's redialEvery), then a new one is dialled — a DNS lookup, TCP and a TLS
// handshake — so a changed record, certificate or ALB node is seen within that many probes rather
// than when the old connection happens to drop.
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

/** A client lent to one probe; give it back with release() when the call has ended. */
export interface Lease {
  client: grpc.Client;
  release(): void;
}

/** One dialled channel: how many probes it has served and how many are in flight on it. */
interface Dialled {
  client: grpc.Client;
  probes: number;
  inFlight: number;
  retired: boolean;
}

const CHANNEL_ARGS: grpc.ChannelOptions = {
  // Re-resolve promptly when a record changes; keep the connection alive between probes.
  'grpc.dns_min_time_between_resolutions_ms': 1_000,
  'grpc.keepalive_time_ms': 60_000,
  'grpc.initial_reconnect_backoff_ms': 200,
  'grpc.max_reconnect_backoff_ms': 2_000,
  // grpc-js shares connections between channels through a process-wide pool: a re-dial must not
  // be handed the connection it replaces.
  'grpc.use_local_subchannel_pool': 1,
  // A probe takes no service config from a DNS TXT record (nor makes that query on every dial,
  // which blackbox_exporter does not either), and keeps no channelz registry.
  'grpc.service_config_disable_resolution': 1,
  'grpc.enable_channelz': 0,
};

/** Where a probe connects: host:port, and the TLS name and :authority when that is not the host. */
export interface Endpoint {
  address: string;
  serverName?: string;
}

export class Channels {
  private readonly dialled = new Map<string, Dialled>();
  private readonly methods = new Map<string, MethodHandle>();
  private readonly credentials: grpc.ChannelCredentials;
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
    // One credentials object, so one parsed SecureContext, shared by every dial.
    this.credentials = options.caFile ? grpc.credentials.createSsl(Buffer.concat([systemRoots, Buffer.from('\n'), extra])) : grpc.credentials.createSsl();
  }

  /** Channels dialled so far (each a new connection and TLS handshake when used). */
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
    if (d && d.probes >= redialEvery) {
      this.retire(d);
      d = undefined;
    }
    if (!d) {
      d = { client: this.dial(endpoint), probes: 0, inFlight: 0, retired: false };
      this.dialled.set(key, d);
    }
    const lent = d;
    lent.probes++;
    lent.inFlight++;
    let released = false;
    return {
      client: lent.client,
      release: () => {
        if (released) return;
        released = true;
        lent.inFlight--;
        if (lent.retired && lent.inFlight === 0) lent.client.close();
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
    for (const d of this.dialled.values()) d.client.close();
    this.dialled.clear();
  }

  private dial({ address, serverName }: Endpoint): grpc.Client {
    this.dials++;
    const target = this.options.dnsServer ? `dns://${this.options.dnsServer}/${address}` : `dns:///${address}`;
    const name = serverName === undefined ? {} : { 'grpc.ssl_target_name_override': serverName, 'grpc.default_authority': serverName };
    return new grpc.Client(target, this.credentials, { ...CHANNEL_ARGS, ...name });
  }

  private retire(d: Dialled): void {
    d.retired = true;
    if (d.inFlight === 0) d.client.close();
  }
}
