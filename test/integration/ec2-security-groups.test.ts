// Emulated EC2 security groups through the real SDK (ec2Query wire): tags at creation, the
// default egress rule, ingress rules from a group and a CIDR, and the errors EC2 gives:
// InvalidGroup.Duplicate, InvalidPermission.Duplicate, InvalidPermission.NotFound,
// InvalidGroup.NotFound, DependencyViolation while another group's rule refers to it.
import t from 'tap';
import { startTestSandbox } from '../helpers/sandbox.js';
import { AuthorizeSecurityGroupIngressCommand, CreateSecurityGroupCommand, CreateVpcCommand, DeleteSecurityGroupCommand, DescribeSecurityGroupsCommand,
  RevokeSecurityGroupIngressCommand } from '@aws-sdk/client-ec2';

t.test('security groups speak ec2Query with EC2 shapes and errors', async (t) => {
  const sb = await startTestSandbox();
  t.teardown(sb.close);
  const ec2 = sb.clients.ec2;
  const VpcId = (await ec2.send(new CreateVpcCommand({ CidrBlock: '10.0.0.0/16' }))).Vpc!.VpcId!;
  const create = (GroupName: string) => ec2.send(new CreateSecurityGroupCommand({ VpcId, GroupName, Description: 'test',
    TagSpecifications: [{ ResourceType: 'security-group', Tags: [{ Key: 'owner', Value: GroupName }] }] }));
  const nodes = await create('nodes');
  const alb = await create('alb');
  t.match(nodes, { GroupId: /^sg-/, Tags: [{ Key: 'owner', Value: 'nodes' }] }, 'created with its tags');
  await t.rejects(create('nodes'), { name: 'InvalidGroup.Duplicate' }, 'names are unique per VPC');

  const fromAlb = { IpProtocol: 'tcp', FromPort: 50051, ToPort: 50051, UserIdGroupPairs: [{ GroupId: alb.GroupId, Description: 'from the ALB' }] };
  const fromAnywhere = { IpProtocol: 'tcp', FromPort: 443, ToPort: 443, IpRanges: [{ CidrIp: '0.0.0.0/0' }] };
  const granted = await ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: nodes.GroupId, IpPermissions: [fromAlb, fromAnywhere] }));
  t.equal(granted.SecurityGroupRules?.length, 2, 'one rule per source');
  await t.rejects(ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: nodes.GroupId, IpPermissions: [fromAlb] })),
    { name: 'InvalidPermission.Duplicate', message: /peer: sg-\w+, TCP, from port: 50051, to port: 50051, ALLOW/ }, 'a rule that exists');
  await t.rejects(ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: nodes.GroupId, IpPermissions: [{ ...fromAlb, UserIdGroupPairs: [{ GroupId: 'sg-00000000000000000' }] }] })),
    { name: 'InvalidGroup.NotFound' }, 'an unknown source group');

  const [read] = (await ec2.send(new DescribeSecurityGroupsCommand({ GroupIds: [nodes.GroupId!] }))).SecurityGroups!;
  t.match(read, { GroupName: 'nodes', VpcId, IpPermissionsEgress: [{ IpProtocol: '-1', IpRanges: [{ CidrIp: '0.0.0.0/0' }] }] }, 'the default egress rule');
  t.same(read!.IpPermissions!.map((p) => [p.IpProtocol, p.FromPort, p.ToPort, p.UserIdGroupPairs?.[0]?.GroupId ?? p.IpRanges?.[0]?.CidrIp]).sort(),
    [['tcp', 443, 443, '0.0.0.0/0'], ['tcp', 50051, 50051, alb.GroupId]], 'ingress rules read back');
  t.equal((await ec2.send(new DescribeSecurityGroupsCommand({ Filters: [{ Name: 'tag:owner', Values: ['alb'] }] }))).SecurityGroups?.[0]?.GroupId, alb.GroupId, 'tag filter');
  await t.rejects(ec2.send(new DescribeSecurityGroupsCommand({ GroupIds: ['sg-00000000000000000'] })), { name: 'InvalidGroup.NotFound' }, 'unknown id');

  await t.rejects(ec2.send(new DeleteSecurityGroupCommand({ GroupId: alb.GroupId })), { name: 'DependencyViolation' }, 'referenced by another group’s rule');
  await ec2.send(new RevokeSecurityGroupIngressCommand({ GroupId: nodes.GroupId, IpPermissions: [fromAlb] }));
  await t.rejects(ec2.send(new RevokeSecurityGroupIngressCommand({ GroupId: nodes.GroupId, IpPermissions: [fromAlb] })), { name: 'InvalidPermission.NotFound' }, 'revoking a rule that is gone');
  await ec2.send(new DeleteSecurityGroupCommand({ GroupId: alb.GroupId }));
  await t.rejects(ec2.send(new DeleteSecurityGroupCommand({ GroupId: alb.GroupId })), { name: 'InvalidGroup.NotFound' }, 'deleted');
});
