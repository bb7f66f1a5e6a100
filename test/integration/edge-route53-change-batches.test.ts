// The emulated Route 53 validates ChangeResourceRecordSets batches as Route 53 does, through the
// real SDK: DELETE then CREATE of one record set in a batch replaces it; DELETE of a record set that
// is missing or differs, CREATE of one that exists, a record set repeated otherwise, a CNAME beside
// other data (RFC 1034) and alias targets that do not exist or name the wrong zone are refused with
// InvalidChangeBatch and Route 53's texts; a refused batch applies nothing.
import t from 'tap';
import { ChangeResourceRecordSetsCommand, CreateHostedZoneCommand, ListResourceRecordSetsCommand, type Change, type ResourceRecordSet } from '@aws-sdk/client-route-53';
import { CreateLoadBalancerCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import { CreateSubnetCommand, CreateVpcCommand } from '@aws-sdk/client-ec2';
import { startTestSandbox, type TestSandbox } from '../helpers/sandbox.js';

const ALB_ZONE_AP_NORTHEAST_1 = 'Z14GRHDCWA56QT';
const a = (name: string, ip: string, ttl = 300): ResourceRecordSet => ({ Name: name, Type: 'A', TTL: ttl, ResourceRecords: [{ Value: ip }] });
const cname = (name: string, target: string): ResourceRecordSet => ({ Name: name, Type: 'CNAME', TTL: 300, ResourceRecords: [{ Value: target }] });
const alias = (name: string, dnsName: string, zoneId: string): ResourceRecordSet => ({ Name: name, Type: 'A', AliasTarget: { HostedZoneId: zoneId, DNSName: dnsName, EvaluateTargetHealth: false } });

async function albDnsName(sb: TestSandbox): Promise<string> {
  const vpcId = (await sb.clients.ec2.send(new CreateVpcCommand({ CidrBlock: '10.0.0.0/16' }))).Vpc!.VpcId!;
  const subnets: string[] = [];
  for (const [i, zone] of ['ap-northeast-1a', 'ap-northeast-1c'].entries()) {
    subnets.push((await sb.clients.ec2.send(new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: `10.0.${i}.0/24`, AvailabilityZone: zone }))).Subnet!.SubnetId!);
  }
  return (await sb.clients.elbv2.send(new CreateLoadBalancerCommand({ Name: 'k8s-demo-r53', Subnets: subnets, Type: 'application' }))).LoadBalancers![0]!.DNSName!;
}

t.test('change batches validated as Route 53 does', async (t) => {
  const sb = await startTestSandbox();
  t.teardown(sb.close);
  const r53 = sb.clients.route53;
  const zoneId = (await r53.send(new CreateHostedZoneCommand({ Name: 'example.com', CallerReference: 'change-batches' }))).HostedZone!.Id!.replace('/hostedzone/', '');
  const batch = (...changes: Change[]) => r53.send(new ChangeResourceRecordSetsCommand({ HostedZoneId: zoneId, ChangeBatch: { Changes: changes } }));
  const records = async () => ((await r53.send(new ListResourceRecordSetsCommand({ HostedZoneId: zoneId }))).ResourceRecordSets ?? [])
    .filter((r) => r.Type !== 'SOA' && r.Type !== 'NS').map((r) => `${r.Name} ${r.Type} ${r.AliasTarget?.DNSName ?? (r.ResourceRecords ?? []).map((v) => v.Value).join(',')}`).sort();
  const refused = (what: string, message: RegExp, ...changes: Change[]) => t.rejects(batch(...changes), { name: 'InvalidChangeBatch', message }, what);

  await batch({ Action: 'CREATE', ResourceRecordSet: a('www.example.com', '192.0.2.1') });
  await refused('CREATE of an existing record set', /^\[Tried to create resource record set \[name='www\.example\.com\.', type='A'\] but it already exists\]$/,
    { Action: 'CREATE', ResourceRecordSet: a('www.example.com', '192.0.2.1') });
  await refused('DELETE of a record set that does not exist', /Tried to delete resource record set \[name='gone\.example\.com\.', type='A'\] but it was not found/,
    { Action: 'DELETE', ResourceRecordSet: a('gone.example.com', '192.0.2.1') });
  await refused('DELETE with another TTL than the live one', /Tried to delete resource record set \[name='www\.example\.com\.', type='A'\] but the values provided do not match the current values/,
    { Action: 'DELETE', ResourceRecordSet: a('www.example.com', '192.0.2.1', 60) });
  await refused('the same record set twice, other than DELETE then CREATE', /The request contains an invalid set of changes for a resource record set 'A www\.example\.com\.'/,
    { Action: 'UPSERT', ResourceRecordSet: a('www.example.com', '192.0.2.2') }, { Action: 'UPSERT', ResourceRecordSet: a('www.example.com', '192.0.2.3') });

  await batch({ Action: 'DELETE', ResourceRecordSet: a('www.example.com', '192.0.2.1') }, { Action: 'CREATE', ResourceRecordSet: a('www.example.com', '192.0.2.9') });
  t.same(await records(), ['www.example.com. A 192.0.2.9'], 'DELETE then CREATE of one record set in one batch replaces it');

  await refused('a CNAME beside an A record', /RRSet of type CNAME with DNS name www\.example\.com\. is not permitted as it conflicts with other records with the same DNS name in zone example\.com\./,
    { Action: 'CREATE', ResourceRecordSet: cname('www.example.com', 'elsewhere.example.net') });
  await batch({ Action: 'CREATE', ResourceRecordSet: cname('docs.example.com', 'elsewhere.example.net') });
  await refused('an A record beside a CNAME', /RRSet of type A with DNS name docs\.example\.com\. is not permitted because a conflicting RRSet of type  CNAME with the same DNS name already exists in zone example\.com\./,
    { Action: 'UPSERT', ResourceRecordSet: a('docs.example.com', '192.0.2.4') });
  await refused('a CNAME at the apex', /RRSet of type CNAME with DNS name example\.com\. is not permitted at apex in zone example\.com\./,
    { Action: 'CREATE', ResourceRecordSet: cname('example.com', 'elsewhere.example.net') });
  await batch({ Action: 'DELETE', ResourceRecordSet: a('www.example.com', '192.0.2.9') }, { Action: 'CREATE', ResourceRecordSet: cname('www.example.com', 'elsewhere.example.net') });
  t.same(await records(), ['docs.example.com. CNAME elsewhere.example.net', 'www.example.com. CNAME elsewhere.example.net'], 'an A record replaced by a CNAME in one batch');

  const dnsName = await albDnsName(sb);
  await batch({ Action: 'UPSERT', ResourceRecordSet: alias('example.com', dnsName, ALB_ZONE_AP_NORTHEAST_1) });
  await batch({ Action: 'UPSERT', ResourceRecordSet: alias('api.example.com', `dualstack.${dnsName}`, ALB_ZONE_AP_NORTHEAST_1) });
  t.ok((await records()).includes(`example.com. A ${dnsName.toLowerCase()}.`), 'an alias to an existing ALB with its region\'s zone id is accepted (dualstack. too)');
  await refused('an alias naming another region\'s ELB zone', new RegExp(`Tried to create an alias that targets ${dnsName.toLowerCase().replace(/\./g, '\\.')}\\., type A in zone Z35SXDOTRQ7X7K, but the alias target name does not lie within the target zone, .*but that target was not found`),
    { Action: 'UPSERT', ResourceRecordSet: alias('grpc.example.com', dnsName, 'Z35SXDOTRQ7X7K') });
  await refused('an alias to an ALB that does not exist', /^\[Tried to create an alias that targets k8s-gone-1234\.ap-northeast-1\.elb\.amazonaws\.com\., type A in zone Z14GRHDCWA56QT, but that target was not found\]$/,
    { Action: 'UPSERT', ResourceRecordSet: alias('grpc.example.com', 'k8s-gone-1234.ap-northeast-1.elb.amazonaws.com', ALB_ZONE_AP_NORTHEAST_1) });
  await refused('an alias to a record set of the zone that does not exist', /targets nothing\.example\.com\., type A in zone .*, but that target was not found/,
    { Action: 'UPSERT', ResourceRecordSet: alias('grpc.example.com', 'nothing.example.com', zoneId) });

  const before = await records();
  await refused('a batch with one refused change', /already exists/,
    { Action: 'CREATE', ResourceRecordSet: a('new.example.com', '192.0.2.5') }, { Action: 'DELETE', ResourceRecordSet: cname('docs.example.com', 'elsewhere.example.net') },
    { Action: 'CREATE', ResourceRecordSet: cname('www.example.com', 'elsewhere.example.net') });
  t.same(await records(), before, 'is atomic: neither the valid CREATE nor the valid DELETE was applied');
});
