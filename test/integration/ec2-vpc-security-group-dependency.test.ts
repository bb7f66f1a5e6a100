// Emulated EC2 refuses DeleteVpc with DependencyViolation while a non-default security group is
// still in the VPC, as AWS does ("delete all security groups associated with the VPC (except the
// default one)", https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DeleteVpc.html);
// once the group is gone the VPC deletes.
import t from 'tap';
import { startTestSandbox } from '../helpers/sandbox.js';
import { CreateSecurityGroupCommand, CreateVpcCommand, DeleteSecurityGroupCommand, DeleteVpcCommand, DescribeVpcsCommand } from '@aws-sdk/client-ec2';

t.test('DeleteVpc waits for the VPC\'s security groups', async (t) => {
  const sb = await startTestSandbox();
  t.teardown(sb.close);
  const ec2 = sb.clients.ec2;
  const VpcId = (await ec2.send(new CreateVpcCommand({ CidrBlock: '10.1.0.0/16' }))).Vpc!.VpcId!;
  const { GroupId } = await ec2.send(new CreateSecurityGroupCommand({ VpcId, GroupName: 'k8s-traffic-demo', Description: 'made by a controller' }));
  await t.rejects(ec2.send(new DeleteVpcCommand({ VpcId })), { name: 'DependencyViolation' }, 'a security group in the VPC holds it');
  await ec2.send(new DeleteSecurityGroupCommand({ GroupId }));
  await ec2.send(new DeleteVpcCommand({ VpcId }));
  await t.rejects(ec2.send(new DescribeVpcsCommand({ VpcIds: [VpcId] })), { name: 'InvalidVpcID.NotFound' }, 'then the VPC deletes');
});
