// DescribeCluster answers as the EKS API reference shapes it (accessConfig with
// bootstrapClusterCreatorAdminPermissions, upgradePolicy, logging.clusterLogging[],
// kubernetesNetworkConfig.elasticLoadBalancing, deletionProtection); CreateCluster stores what it is
// given and refuses what EKS refuses; deletion protection blocks DeleteCluster until turned off.
// platformd's own cluster reads back with the new fields and plans no change.
import t from 'tap';
import { CreateClusterCommand, DeleteClusterCommand, DescribeClusterCommand, UpdateClusterConfigCommand, type CreateClusterCommandInput } from '@aws-sdk/client-eks';
import { startTestSandbox } from '../helpers/sandbox.js';
import { referenceSpec } from '../helpers/specs.js';
import { applyPlatform, planPlatform } from '../../src/engine.js';

const ALL_LOG_TYPES = ['api', 'audit', 'authenticator', 'controllerManager', 'scheduler'];

t.test('DescribeCluster shapes, CreateCluster settings and deletion protection', async (t) => {
  const sb = await startTestSandbox();
  t.teardown(sb.close);
  const spec = await referenceSpec();
  const opts = { spec, aws: sb.clients, layers: ['network', 'iam', 'eks'] as const };
  t.ok((await applyPlatform({ ...opts, layers: [...opts.layers] })).ok, 'platformd created its cluster');
  const describe = async (name: string) => (await sb.clients.eks.send(new DescribeClusterCommand({ name }))).cluster!;

  const ours = await describe('grpc-demo');
  t.same(ours.accessConfig, { authenticationMode: 'API_AND_CONFIG_MAP', bootstrapClusterCreatorAdminPermissions: true }, 'accessConfig as platformd asked');
  t.same(ours.upgradePolicy, { supportType: 'STANDARD' }, 'upgradePolicy');
  t.same(ours.logging, { clusterLogging: [{ types: ALL_LOG_TYPES, enabled: false }] }, 'no control plane logs: every type listed as disabled');
  t.same(ours.kubernetesNetworkConfig?.elasticLoadBalancing, { enabled: false }, 'not an Auto Mode cluster');
  t.equal(ours.deletionProtection, false, 'deletion protection defaults to off');
  t.same((await planPlatform({ ...opts, layers: [...opts.layers] })).plan.changes, [], 'none of the new fields reads back as drift');

  const base: CreateClusterCommandInput = { name: 'x', roleArn: ours.roleArn, resourcesVpcConfig: { subnetIds: ours.resourcesVpcConfig!.subnetIds } };
  const create = (input: Partial<CreateClusterCommandInput>) => sb.clients.eks.send(new CreateClusterCommand({ ...base, ...input }));
  await t.rejects(create({ name: 'locked-out', accessConfig: { authenticationMode: 'CONFIG_MAP', bootstrapClusterCreatorAdminPermissions: false } }),
    { name: 'InvalidParameterException', message: 'bootstrapClusterCreatorAdminPermissions must be true if cluster authentication mode is set to CONFIG_MAP' }, 'CONFIG_MAP needs the bootstrap admin');
  await t.rejects(create({ name: 'half-auto', kubernetesNetworkConfig: { elasticLoadBalancing: { enabled: true } } }),
    { name: 'InvalidParameterException', message: /all either fully enabled or fully disabled/ }, 'Auto Mode load balancing alone is refused');
  await t.rejects(create({ name: 'bad-logs', logging: { clusterLogging: [{ types: ['kubelet' as never], enabled: true }] } }),
    { name: 'InvalidParameterException', message: /kubelet/ }, 'an unknown log type is refused');

  const created = (await create({
    name: 'protected', accessConfig: { authenticationMode: 'API', bootstrapClusterCreatorAdminPermissions: false },
    logging: { clusterLogging: [{ types: ['audit', 'api'], enabled: true }] }, deletionProtection: true,
  })).cluster!;
  t.same(created.accessConfig, { authenticationMode: 'API', bootstrapClusterCreatorAdminPermissions: false }, 'CreateCluster answers what it stored');
  // ACTIVE once the sandbox's API server for it is up; the deadline only bounds a hang.
  for (const deadline = Date.now() + 60_000; (await describe('protected')).status !== 'ACTIVE' && Date.now() < deadline;) await new Promise((r) => setTimeout(r, 50));
  const stored = await describe('protected');
  t.same(stored.logging, { clusterLogging: [{ types: ['api', 'audit'], enabled: true }, { types: ['authenticator', 'controllerManager', 'scheduler'], enabled: false }] },
    'enabled and disabled log types in two LogSetups');
  t.same([stored.status, stored.deletionProtection], ['ACTIVE', true]);
  t.equal(stored.upgradePolicy?.supportType, 'EXTENDED', 'EKS\'s default upgrade policy');

  await t.rejects(sb.clients.eks.send(new DeleteClusterCommand({ name: 'protected' })), { name: 'InvalidRequestException', message: /deletion protection/ },
    'an active protected cluster cannot be deleted');
  t.equal((await describe('protected')).status, 'ACTIVE', 'and it is still there');
  const update = (await sb.clients.eks.send(new UpdateClusterConfigCommand({ name: 'protected', deletionProtection: false }))).update!;
  t.same([update.type, update.params], ['DeletionProtectionUpdate', [{ type: 'DeletionProtection', value: 'false' }]], 'turned off through UpdateClusterConfig');
  t.equal((await describe('protected')).deletionProtection, false);
  const logs = (await sb.clients.eks.send(new UpdateClusterConfigCommand({ name: 'protected', logging: { clusterLogging: [{ types: ['scheduler'], enabled: true }, { types: ['audit'], enabled: false }] } }))).update!;
  t.equal(logs.type, 'LoggingUpdate');
  t.same((await describe('protected')).logging?.clusterLogging?.find((l) => l.enabled)?.types, ['api', 'scheduler'], 'logging updated type by type');
  await t.rejects(sb.clients.eks.send(new UpdateClusterConfigCommand({ name: 'protected', logging: { clusterLogging: [{ types: ['api'], enabled: true }] } })),
    { name: 'InvalidParameterException', message: 'No changes needed for the logging config provided' }, 'a logging update that changes nothing');
  t.equal((await sb.clients.eks.send(new DeleteClusterCommand({ name: 'protected' }))).cluster?.status, 'DELETING', 'unprotected, it can be deleted');
});
