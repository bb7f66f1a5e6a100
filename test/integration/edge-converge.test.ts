// Apply from an empty account through every layer: the ALB has exactly one rule per service with
// its gRPC path, all target groups GRPC; the certificate is issued; the domain's alias records
// point at the ALB; a second plan is empty and a second apply requests no certificate and
// changes no record.
import t from 'tap';
import { DescribeListenersCommand, DescribeLoadBalancersCommand, DescribeRulesCommand, DescribeTargetGroupsCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import { ListHostedZonesCommand, ListResourceRecordSetsCommand } from '@aws-sdk/client-route-53';
import { startTestSandbox } from '../helpers/sandbox.js';
import { referenceSpec } from '../helpers/specs.js';
import { applyPlatform, planPlatform } from '../../src/engine.js';
import { clusterAccessFor } from '../../src/cloud/cluster-access.js';

t.test('every layer converges; a second apply changes nothing', async (t) => {
  const sb = await startTestSandbox();
  t.teardown(sb.close);
  const spec = await referenceSpec();
  const opts = { spec, aws: sb.clients, kube: clusterAccessFor(spec, sb.clients) };
  const result = await applyPlatform(opts);
  t.same(result.failed, [], 'no failures');
  t.same(result.skipped, [], 'nothing skipped');

  const elbv2 = sb.clients.elbv2;
  const lbs = (await elbv2.send(new DescribeLoadBalancersCommand({}))).LoadBalancers ?? [];
  t.equal(lbs.length, 1, 'one ALB');
  const listeners = (await elbv2.send(new DescribeListenersCommand({ LoadBalancerArn: lbs[0]!.LoadBalancerArn }))).Listeners ?? [];
  t.same(listeners.map((l) => [l.Protocol, l.Port]), [['HTTPS', 443]]);
  const rules = (await elbv2.send(new DescribeRulesCommand({ ListenerArn: listeners[0]!.ListenerArn }))).Rules ?? [];
  const paths = rules.filter((r) => !r.IsDefault).flatMap((r) => r.Conditions?.flatMap((c) => c.PathPatternConfig?.Values ?? c.Values ?? []) ?? []).sort();
  // The Ingress path is exactly /<package>.<Service>/ (pathType Prefix); the controller turns a
  // Prefix path into the ALB patterns /<package>.<Service> and /<package>.<Service>/*.
  t.same(paths, ['/helloworld.Greeter', '/helloworld.Greeter/*', '/keyvaluestore.KeyValueStore', '/keyvaluestore.KeyValueStore/*', '/routeguide.RouteGuide', '/routeguide.RouteGuide/*'],
    'one rule per service with its exact gRPC path');
  const store = sb.kube.clusters.get('grpc-demo')!.store;
  const ingress = store.list(store.resource('networking.k8s.io/v1', 'Ingress')!)[0]!;
  t.same(ingress.spec.rules[0].http.paths.map((p: { path: string; pathType: string }) => `${p.pathType} ${p.path}`).sort(),
    ['Prefix /helloworld.Greeter/', 'Prefix /keyvaluestore.KeyValueStore/', 'Prefix /routeguide.RouteGuide/']);
  t.equal(rules.filter((r) => !r.IsDefault).length, 3);
  const tgs = (await elbv2.send(new DescribeTargetGroupsCommand({ LoadBalancerArn: lbs[0]!.LoadBalancerArn }))).TargetGroups ?? [];
  t.ok(tgs.length === 3 && tgs.every((g) => g.ProtocolVersion === 'GRPC'), 'all target groups GRPC');

  const zones = (await sb.clients.route53.send(new ListHostedZonesCommand({}))).HostedZones ?? [];
  const records = (await sb.clients.route53.send(new ListResourceRecordSetsCommand({ HostedZoneId: zones[0]!.Id!.replace('/hostedzone/', '') }))).ResourceRecordSets ?? [];
  const a = records.find((r) => r.Name === 'grpc.example.com.' && r.Type === 'A');
  t.equal(a?.AliasTarget?.DNSName, `${lbs[0]!.DNSName!.toLowerCase()}.`, 'alias A → the ALB');
  t.ok(records.some((r) => r.Type === 'CNAME' && r.Name!.endsWith('.grpc.example.com.')), 'validation CNAME');

  const again = await planPlatform(opts);
  t.same(again.plan.changes.map((c) => `${c.action} ${c.id} ${JSON.stringify(c.fields).slice(0, 200)}`), [], 'the second plan is empty');
  const mark = sb.aws.callLog.mark();
  await applyPlatform(opts);
  const writes = sb.aws.callLog.since(mark).filter((c) => ['RequestCertificate', 'ChangeResourceRecordSets'].includes(c.operation));
  t.same(writes, [], 'a second apply requests no certificate and changes no record');
});
