// Real gRPC servers, written for the sandbox, serving the protos in protos/: routeguide.RouteGuide
// (unary and all three streaming kinds), helloworld.Greeter, keyvaluestore.KeyValueStore — each
// also serving grpc.health.v1.Health. The emulated pods run these.
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';

const LOAD = { keepCase: false, longs: Number, enums: String, defaults: true, oneofs: true };

function load(protosDir: string, file: string): grpc.GrpcObject {
  return grpc.loadPackageDefinition(protoLoader.loadSync(file, { ...LOAD, includeDirs: [protosDir] }));
}

function healthImpl(services: string[]): grpc.UntypedServiceImplementation {
  const known = new Set(['', ...services]);
  return {
    Check(call: grpc.ServerUnaryCall<{ service: string }, unknown>, cb: grpc.sendUnaryData<unknown>) {
      if (!known.has(call.request.service)) return cb({ code: grpc.status.NOT_FOUND, details: `unknown service ${call.request.service}` });
      cb(null, { status: 'SERVING' });
    },
    Watch(call: grpc.ServerWritableStream<{ service: string }, unknown>) {
      call.write({ status: known.has(call.request.service) ? 'SERVING' : 'SERVICE_UNKNOWN' });
    },
  };
}

const FEATURES = [
  { name: 'Patriots Path, Mendham, NJ 07945, USA', location: { latitude: 407838351, longitude: -746143763 } },
  { name: '101 New Jersey 10, Whippany, NJ 07981, USA', location: { latitude: 408122808, longitude: -743999179 } },
  { name: 'Berkshire Valley Management Area Trail, Jefferson, NJ, USA', location: { latitude: 409146138, longitude: -746188906 } },
];

type Point = { latitude: number; longitude: number };
const same = (a: Point, b: Point) => a.latitude === b.latitude && a.longitude === b.longitude;

function routeGuide(): grpc.UntypedServiceImplementation {
  const notes = new Map<string, unknown[]>();
  return {
    GetFeature(call: grpc.ServerUnaryCall<Point, unknown>, cb: grpc.sendUnaryData<unknown>) {
      cb(null, FEATURES.find((f) => same(f.location, call.request)) ?? { name: '', location: call.request });
    },
    ListFeatures(call: grpc.ServerWritableStream<{ lo: Point; hi: Point }, unknown>) {
      const { lo, hi } = call.request;
      const [minLat, maxLat] = [Math.min(lo.latitude, hi.latitude), Math.max(lo.latitude, hi.latitude)];
      const [minLon, maxLon] = [Math.min(lo.longitude, hi.longitude), Math.max(lo.longitude, hi.longitude)];
      for (const f of FEATURES) {
        const { latitude, longitude } = f.location;
        if (latitude >= minLat && latitude <= maxLat && longitude >= minLon && longitude <= maxLon) call.write(f);
      }
      call.end();
    },
    RecordRoute(call: grpc.ServerReadableStream<Point, unknown>, cb: grpc.sendUnaryData<unknown>) {
      const started = Date.now();
      let points = 0;
      let features = 0;
      call.on('data', (p: Point) => {
        points++;
        if (FEATURES.some((f) => same(f.location, p))) features++;
      });
      call.on('end', () => cb(null, { pointCount: points, featureCount: features, distance: 0, elapsedTime: Math.round((Date.now() - started) / 1000) }));
    },
    RouteChat(call: grpc.ServerDuplexStream<{ location: Point; message: string }, unknown>) {
      call.on('data', (note: { location: Point; message: string }) => {
        const key = `${note.location.latitude},${note.location.longitude}`;
        for (const prior of notes.get(key) ?? []) call.write(prior);
        notes.set(key, [...(notes.get(key) ?? []), note]);
      });
      call.on('end', () => call.end());
    },
  };
}

function greeter(): grpc.UntypedServiceImplementation {
  return {
    SayHello(call: grpc.ServerUnaryCall<{ name: string }, unknown>, cb: grpc.sendUnaryData<unknown>) {
      cb(null, { message: `Hello ${call.request.name}` });
    },
    SayHelloStream(call: grpc.ServerWritableStream<{ name: string; times: number }, unknown>) {
      for (let i = 0; i < (call.request.times || 3); i++) call.write({ message: `Hello ${call.request.name} #${i + 1}` });
      call.end();
    },
  };
}

function keyValueStore(): grpc.UntypedServiceImplementation {
  const data = new Map<string, string>();
  return {
    Get(call: grpc.ServerUnaryCall<{ key: string }, unknown>, cb: grpc.sendUnaryData<unknown>) {
      const v = data.get(call.request.key);
      if (v === undefined) return cb({ code: grpc.status.NOT_FOUND, details: `no value for key ${call.request.key}` });
      cb(null, { value: v });
    },
    Set(call: grpc.ServerUnaryCall<{ key: string; value: string }, unknown>, cb: grpc.sendUnaryData<unknown>) {
      data.set(call.request.key, call.request.value);
      cb(null, {});
    },
    GetByPrefix(call: grpc.ServerWritableStream<{ prefix: string }, unknown>) {
      for (const [key, value] of [...data].sort(([a], [b]) => a.localeCompare(b))) if (key.startsWith(call.request.prefix)) call.write({ key, value });
      call.end();
    },
  };
}

export type ServiceName = 'routeguide' | 'greeter' | 'keyvaluestore';

/** Start one server (a "container") on 127.0.0.1; resolves with its port. */
export async function startGrpcServer(protosDir: string, which: ServiceName, address = '127.0.0.1:0'): Promise<{ port: number; stop: () => Promise<void> }> {
  const server = new grpc.Server();
  const health = (load(protosDir, 'grpc/health/v1/health.proto') as any).grpc.health.v1.Health.service;
  if (which === 'routeguide') {
    server.addService((load(protosDir, 'routeguide/route_guide.proto') as any).routeguide.RouteGuide.service, routeGuide());
    server.addService(health, healthImpl(['routeguide.RouteGuide']));
  } else if (which === 'greeter') {
    server.addService((load(protosDir, 'helloworld/helloworld.proto') as any).helloworld.Greeter.service, greeter());
    server.addService(health, healthImpl(['helloworld.Greeter']));
  } else {
    server.addService((load(protosDir, 'keyvaluestore/keyvaluestore.proto') as any).keyvaluestore.KeyValueStore.service, keyValueStore());
    server.addService(health, healthImpl(['keyvaluestore.KeyValueStore']));
  }
  const port = await new Promise<number>((resolve, reject) => server.bindAsync(address, grpc.ServerCredentials.createInsecure(), (err, p) => (err ? reject(err) : resolve(p))));
  return { port, stop: () => new Promise((resolve) => server.tryShutdown(() => resolve())) };
}
