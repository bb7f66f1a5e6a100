// After apply from an empty account, a @grpc/grpc-js client that trusts the sandbox CA resolves
// the domain through the sandbox DNS and calls all three services through the emulated ALB over
// TLS, unary and streaming. A path no rule matches gets the ALB's default answer. Deleting the
// alias record or one ALB rule behind platformd's back breaks the matching call; the next apply
// repairs it.
import '../helpers/grpc-env.js';
import t from 'tap';
import * as grpc from '@grpc/grpc-js';
import { DeleteRuleCommand, DescribeListenersCommand, DescribeLoadBalancersCommand, DescribeRulesCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import { ChangeResourceRecordSetsCommand, ListHostedZonesCommand, ListResourceRecordSetsCommand } from '@aws-sdk/client-route-53';
import { convergedPlatform } from '../helpers/platform.js';
import { applyPlatform } from '../../src/engine.js';

t.test('gRPC through DNS, TLS and the emulated ALB', async (t) => {
  const { sb, opts, target, creds, load } = await convergedPlatform(t);
  const options = { 'grpc.dns_min_time_between_resolutions_ms': 100, 'grpc.initial_reconnect_backoff_ms': 100, 'grpc.max_reconnect_backoff_ms': 200 };
  const RouteGuide = load('routeguide/route_guide.proto').routeguide.RouteGuide;
  const Greeter = load('helloworld/helloworld.proto').helloworld.Greeter;
  const Kv = load('keyvaluestore/keyvaluestore.proto').keyvaluestore.KeyValueStore;
  const rg = new RouteGuide(target, creds, options);
  const greeter = new Greeter(target, creds, options);
  const kv = new Kv(target, creds, options);
  t.teardown(() => { rg.close(); greeter.close(); kv.close(); });
  const unary = (client: any, method: string, req: unknown) => new Promise<any>((resolve, reject) =>
    client[method](req, { deadline: Date.now() + 3000 }, (err: Error | null, res: unknown) => (err ? reject(err) : resolve(res))));

  t.match(await unary(rg, 'getFeature', { latitude: 409146138, longitude: -746188906 }), { name: /Berkshire Valley/ }, 'RouteGuide unary');
  t.same(await unary(greeter, 'sayHello', { name: 'sandbox' }), { message: 'Hello sandbox' }, 'Greeter unary');
  // Two replicas, each with its own memory: a Set succeeds; a key nobody set is NOT_FOUND everywhere.
  t.same(await unary(kv, 'set', { key: 'a', value: '1' }), {}, 'KeyValueStore unary');
  await t.rejects(unary(kv, 'get', { key: 'never-set' }), { code: grpc.status.NOT_FOUND }, 'KeyValueStore answers with its own status');

  const features: any[] = await new Promise((resolve, reject) => {
    const out: any[] = [];
    const call = rg.listFeatures({ lo: { latitude: 400000000, longitude: -750000000 }, hi: { latitude: 420000000, longitude: -730000000 } });
    call.on('data', (f: unknown) => out.push(f));
    call.on('end', () => resolve(out));
    call.on('error', reject);
  });
  t.equal(features.length, 3, 'server streaming');
  const summary = await new Promise<any>((resolve, reject) => {
    const call = rg.recordRoute((err: Error | null, res: unknown) => (err ? reject(err) : resolve(res)));
    call.write({ latitude: 407838351, longitude: -746143763 });
    call.write({ latitude: 1, longitude: 2 });
    call.end();
  });
  t.match(summary, { pointCount: 2, featureCount: 1 }, 'client streaming');
  const chat: any[] = await new Promise((resolve, reject) => {
    const out: any[] = [];
    const call = rg.routeChat();
    call.on('data', (n: unknown) => out.push(n));
    call.on('end', () => resolve(out));
    call.on('error', reject);
    const p = { latitude: 1, longitude: 1 };
    call.write({ location: p, message: 'first' });
    call.write({ location: p, message: 'second' });
    call.end();
  });
  t.same(chat.map((n) => n.message), ['first'], 'bidirectional streaming');

  // A path no rule matches: the ALB's default answer (404 → UNIMPLEMENTED), never a backend.
  const Health = load('grpc/health/v1/health.proto').grpc.health.v1.Health;
  const health = new Health(target, creds, options);
  t.teardown(() => health.close());
  await t.rejects(unary(health, 'check', { service: '' }), { code: grpc.status.UNIMPLEMENTED }, 'unmatched path → default action');

  // Delete the greeter's rule behind platformd's back: Greeter breaks, the others keep working.
  const lb = (await sb.clients.elbv2.send(new DescribeLoadBalancersCommand({}))).LoadBalancers![0]!;
  const listener = (await sb.clients.elbv2.send(new DescribeListenersCommand({ LoadBalancerArn: lb.LoadBalancerArn }))).Listeners![0]!;
  const rules = (await sb.clients.elbv2.send(new DescribeRulesCommand({ ListenerArn: listener.ListenerArn }))).Rules!;
  const greeterRule = rules.find((r) => JSON.stringify(r.Conditions).includes('helloworld.Greeter'))!;
  await sb.clients.elbv2.send(new DeleteRuleCommand({ RuleArn: greeterRule.RuleArn }));
  await t.rejects(unary(greeter, 'sayHello', { name: 'x' }), { code: grpc.status.UNIMPLEMENTED }, 'the greeter call fails without its rule');
  t.ok(await unary(rg, 'getFeature', { latitude: 1, longitude: 1 }), 'route guide still works');
  t.ok((await applyPlatform(opts)).ok, 'the next apply repairs the ALB');
  t.same(await unary(greeter, 'sayHello', { name: 'again' }), { message: 'Hello again' }, 'the greeter works again');

  // Delete the alias record: the name no longer resolves; the next apply brings it back.
  const zoneId = (await sb.clients.route53.send(new ListHostedZonesCommand({}))).HostedZones![0]!.Id!.replace('/hostedzone/', '');
  const a = (await sb.clients.route53.send(new ListResourceRecordSetsCommand({ HostedZoneId: zoneId }))).ResourceRecordSets!.find((r) => r.Name === 'grpc.example.com.' && r.Type === 'A')!;
  await sb.clients.route53.send(new ChangeResourceRecordSetsCommand({ HostedZoneId: zoneId, ChangeBatch: { Changes: [{ Action: 'DELETE', ResourceRecordSet: a }] } }));
  const fresh = new Greeter(target, creds, options);
  t.teardown(() => fresh.close());
  await t.rejects(unary(fresh, 'sayHello', { name: 'x' }), { code: grpc.status.UNAVAILABLE }, 'no alias record → the name does not resolve');
  t.ok((await applyPlatform(opts)).ok, 'the next apply restores the record');
  const again = new Greeter(target, creds, options);
  t.teardown(() => again.close());
  t.same(await unary(again, 'sayHello', { name: 'dns' }), { message: 'Hello dns' });
});
