// A small authoritative DNS server (UDP) answering from the emulated Route 53 zones: A/AAAA/CNAME
// records as written, alias records to an emulated ALB resolved to that ALB's loopback address,
// and each emulated ALB's own DNS name. Other names outside every zone or without records get
// NXDOMAIN. Point a resolver (or grpc-js with a
// `dns://127.0.0.1:<port>/name:443` target) at it.
import dgram from 'node:dgram';
import type { AddressInfo } from 'node:net';
import type { Route53State, RecordSet } from '../aws/services/route53/state.js';
import { canonicalName } from '../aws/services/route53/state.js';

const TYPES: Record<number, string> = { 1: 'A', 28: 'AAAA', 5: 'CNAME', 2: 'NS', 6: 'SOA', 16: 'TXT' };
const CODES: Record<string, number> = Object.fromEntries(Object.entries(TYPES).map(([k, v]) => [v, Number(k)]));

function readName(buf: Buffer, offset: number): { name: string; next: number } {
  const labels: string[] = [];
  let i = offset;
  while (buf[i]! > 0) {
    labels.push(buf.subarray(i + 1, i + 1 + buf[i]!).toString('ascii'));
    i += buf[i]! + 1;
  }
  return { name: labels.join('.'), next: i + 1 };
}

function encodeName(name: string): Buffer {
  const parts = name.replace(/\.$/, '').split('.').filter(Boolean);
  return Buffer.concat([...parts.map((p) => Buffer.concat([Buffer.from([p.length]), Buffer.from(p, 'ascii')])), Buffer.from([0])]);
}

function rr(name: string, type: string, ttl: number, data: Buffer): Buffer {
  const head = Buffer.alloc(10);
  head.writeUInt16BE(CODES[type]!, 0);
  head.writeUInt16BE(1, 2);
  head.writeUInt32BE(ttl, 4);
  head.writeUInt16BE(data.length, 8);
  return Buffer.concat([encodeName(name), head, data]);
}

function ipv4(ip: string): Buffer {
  return Buffer.from(ip.split('.').map(Number));
}

export interface DnsServerOptions {
  route53: Route53State;
  /** Loopback address of an emulated ALB by its DNS name. */
  albAddress: (dnsName: string) => string | undefined;
}

export class SandboxDns {
  private socket?: dgram.Socket;
  constructor(private readonly options: DnsServerOptions) {}

  async listen(port = 0, host = '127.0.0.1'): Promise<string> {
    const socket = (this.socket = dgram.createSocket('udp4'));
    socket.on('message', (msg, rinfo) => {
      try {
        socket.send(this.answer(msg), rinfo.port, rinfo.address);
      } catch {
        // malformed query: drop it, as servers do
      }
    });
    // A taken port is an 'error' event, not an exception: without a listener it would never settle.
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject);
      socket.bind(port, host, () => {
        socket.off('error', reject);
        resolve();
      });
    }).catch((err: unknown) => {
      this.socket = undefined;
      socket.close();
      throw err;
    });
    return `${host}:${(socket.address() as AddressInfo).port}`;
  }

  /** Pure-ish: the response to one query message. */
  answer(query: Buffer): Buffer {
    const id = query.readUInt16BE(0);
    const { name, next } = readName(query, 12);
    const qtype = TYPES[query.readUInt16BE(next)] ?? 'OTHER';
    const question = query.subarray(12, next + 4);
    const answers: Buffer[] = [];
    let rcode = 0;
    const zone = this.options.route53.zoneFor(name);
    const alb = zone ? undefined : this.options.albAddress(canonicalName(name).replace(/\.$/, ''));
    // An ALB's own DNS name resolves (AWS publishes it under elb.amazonaws.com): A only, as below.
    if (alb !== undefined) {
      if (qtype === 'A') answers.push(rr(canonicalName(name), 'A', 60, ipv4(alb)));
    } else if (!zone) rcode = 3;
    else {
      let current = canonicalName(name);
      for (let hops = 0; hops < 5; hops++) {
        const records = zone.records.filter((r) => r.name === current);
        if (records.length === 0) {
          if (hops === 0) rcode = 3;
          break;
        }
        const cname = records.find((r) => r.type === 'CNAME');
        if (cname && qtype !== 'CNAME') {
          const target = canonicalName(cname.values![0]!);
          answers.push(rr(current, 'CNAME', cname.ttl ?? 300, encodeName(target)));
          current = target;
          continue;
        }
        for (const r of records.filter((x) => x.type === qtype)) answers.push(...this.encode(r, current));
        break;
      }
    }
    const header = Buffer.alloc(12);
    header.writeUInt16BE(id, 0);
    header.writeUInt16BE(0x8400 | (query.readUInt16BE(2) & 0x0100) | rcode, 2); // QR, AA, RD copied
    header.writeUInt16BE(1, 4);
    header.writeUInt16BE(answers.length, 6);
    return Buffer.concat([header, question, ...answers]);
  }

  private encode(r: RecordSet, name: string): Buffer[] {
    if (r.alias) {
      const ip = this.options.albAddress(r.alias.dnsName);
      // The emulated ALBs listen on IPv4 loopback only: alias AAAA answers are empty.
      return ip && r.type === 'A' ? [rr(name, 'A', 60, ipv4(ip))] : [];
    }
    return (r.values ?? []).flatMap((v) => {
      if (r.type === 'A') return [rr(name, 'A', r.ttl ?? 300, ipv4(v))];
      if (r.type === 'CNAME') return [rr(name, 'CNAME', r.ttl ?? 300, encodeName(v))];
      if (r.type === 'TXT') return [rr(name, 'TXT', r.ttl ?? 300, Buffer.concat([Buffer.from([Math.min(255, v.length)]), Buffer.from(v.slice(0, 255))]))];
      if (r.type === 'NS') return [rr(name, 'NS', r.ttl ?? 300, encodeName(v))];
      return [];
    });
  }

  close(): Promise<void> {
    return new Promise((resolve) => (this.socket ? this.socket.close(() => resolve()) : resolve()));
  }
}
