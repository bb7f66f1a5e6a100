// A TLS gRPC endpoint that counts its TLS handshakes (each one a new connection a client dialled)
// and can change its certificate in place, as an ALB does when its listener's certificate is
// replaced: connections already open keep the old one, new ones get the new one. Every unary call
// answers OK with an empty message (a valid reply for any method whose reply fields all default).
import http2 from 'node:http2';
import type { AddressInfo } from 'node:net';

export interface CountingGrpcServer {
  address: string;
  handshakes(): number;
  calls(): number;
  useCertificate(cert: { certPem: string; keyPem: string }): void;
  close(): Promise<void>;
}

/** ok: every call answers OK; hang: no call is ever answered (for deadlines). */
export async function countingGrpcServer(cert: { certPem: string; keyPem: string }, answer: 'ok' | 'hang' = 'ok'): Promise<CountingGrpcServer> {
  let handshakes = 0;
  let calls = 0;
  const server = http2.createSecureServer({ cert: cert.certPem, key: cert.keyPem, allowHTTP1: false });
  const sessions = new Set<http2.ServerHttp2Session>();
  server.on('secureConnection', () => { handshakes++; });
  server.on('session', (session) => {
    sessions.add(session);
    session.on('close', () => sessions.delete(session));
  });
  server.on('stream', (stream) => {
    stream.on('data', () => {});
    stream.on('end', () => {
      calls++;
      if (answer === 'hang') return;
      stream.respond({ ':status': 200, 'content-type': 'application/grpc' }, { waitForTrailers: true });
      stream.on('wantTrailers', () => stream.sendTrailers({ 'grpc-status': '0', 'grpc-message': '' }));
      stream.end(Buffer.alloc(5)); // one uncompressed, empty message
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    address: `localhost:${(server.address() as AddressInfo).port}`,
    handshakes: () => handshakes,
    calls: () => calls,
    useCertificate: (next) => server.setSecureContext({ cert: next.certPem, key: next.keyPem }),
    close: () => new Promise((resolve) => {
      server.close(() => resolve());
      // Open client sessions would hold close() forever.
      for (const s of sessions) s.destroy();
    }),
  };
}
