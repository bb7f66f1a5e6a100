// EC2's authorisation of the VPC operations: each object the call touches is its own resource
// (CreateSubnet is checked on the new subnet and on its VPC), request tags apply to the object
// being created only, and tags given in a Create* call are authorised again as ec2:CreateTags on
// that object with ec2:CreateAction = the create operation
// (https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/supported-iam-actions-tagging.html:
// "you must have permission to use the action that creates the resource, and ec2:CreateTags";
// resource types per action: https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonec2.html).
import { actionOf, requestTagContext, resourceTagContext, tagListRecord, type AuthorizationCheck, type CheckRequest } from './checks.js';

const TYPE_BY_PREFIX: Record<string, string> = {
  vpc: 'vpc', subnet: 'subnet', igw: 'internet-gateway', eipalloc: 'elastic-ip', nat: 'natgateway', rtb: 'route-table', sg: 'security-group', eni: 'network-interface', i: 'instance',
};

/** Create operations: the resource type they create and the TagSpecification ResourceType naming it. */
const CREATES: Record<string, { type: string; tagType: string; parents: { input: string; type: string }[] }> = {
  CreateVpc: { type: 'vpc', tagType: 'vpc', parents: [] },
  CreateSubnet: { type: 'subnet', tagType: 'subnet', parents: [{ input: 'VpcId', type: 'vpc' }] },
  CreateInternetGateway: { type: 'internet-gateway', tagType: 'internet-gateway', parents: [] },
  AllocateAddress: { type: 'elastic-ip', tagType: 'elastic-ip', parents: [] },
  CreateNatGateway: { type: 'natgateway', tagType: 'natgateway', parents: [{ input: 'SubnetId', type: 'subnet' }, { input: 'AllocationId', type: 'elastic-ip' }] },
  CreateRouteTable: { type: 'route-table', tagType: 'route-table', parents: [{ input: 'VpcId', type: 'vpc' }] },
  CreateSecurityGroup: { type: 'security-group', tagType: 'security-group', parents: [{ input: 'VpcId', type: 'vpc' }] },
  CreateNetworkInterface: { type: 'network-interface', tagType: 'network-interface', parents: [{ input: 'SubnetId', type: 'subnet' }, { input: 'SecurityGroupId', type: 'security-group' }] },
};

/** Operations on existing objects: the input members naming them. */
const ON_EXISTING: Record<string, string[]> = {
  ModifyVpcAttribute: ['VpcId'], DescribeVpcAttribute: ['VpcId'], DeleteVpc: ['VpcId'],
  ModifySubnetAttribute: ['SubnetId'], DeleteSubnet: ['SubnetId'],
  AttachInternetGateway: ['InternetGatewayId', 'VpcId'], DetachInternetGateway: ['InternetGatewayId', 'VpcId'], DeleteInternetGateway: ['InternetGatewayId'],
  ReleaseAddress: ['AllocationId'], DeleteNatGateway: ['NatGatewayId'],
  CreateRoute: ['RouteTableId'], ReplaceRoute: ['RouteTableId'], DeleteRoute: ['RouteTableId'], DeleteRouteTable: ['RouteTableId'],
  AssociateRouteTable: ['RouteTableId', 'SubnetId'],
  AttachNetworkInterface: ['NetworkInterfaceId', 'InstanceId'], ModifyNetworkInterfaceAttribute: ['NetworkInterfaceId'],
  AssignPrivateIpAddresses: ['NetworkInterfaceId'], DeleteNetworkInterface: ['NetworkInterfaceId'],
  AuthorizeSecurityGroupIngress: ['GroupId'], RevokeSecurityGroupIngress: ['GroupId'], DeleteSecurityGroup: ['GroupId'],
};

function tagSpecificationTags(input: Record<string, unknown>, tagType: string): Record<string, string> {
  const specs = Array.isArray(input.TagSpecification) ? (input.TagSpecification as { ResourceType?: string; Tag?: unknown }[]) : [];
  return tagListRecord(specs.find((s) => s.ResourceType === tagType)?.Tag);
}

export function ec2Checks(req: CheckRequest): AuthorizationCheck[] | undefined {
  const arn = (type: string, id: string) => `arn:aws:ec2:${req.region}:${req.accountId}:${type}/${id}`;
  const region = { 'aws:RequestedRegion': req.region, 'ec2:Region': req.region };
  const existing = (id: string): AuthorizationCheck => ({
    action: actionOf('ec2', req.operation),
    resource: arn(TYPE_BY_PREFIX[id.split('-')[0] ?? ''] ?? 'unknown', id),
    context: { ...region, ...resourceTagContext(req.directory.ec2Tags(req.region, id), 'ec2') },
  });
  const ids = (member: string) => {
    const v = req.input[member];
    return typeof v === 'string' ? [v] : Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
  };

  const create = CREATES[req.operation];
  if (create) {
    // A resource created by the call has no ARN yet: AWS authorises it as <type>/* (its decoded
    // authorization messages name e.g. arn:aws:ec2:…:instance/*).
    const tags = tagSpecificationTags(req.input, create.tagType);
    const created = arn(create.type, '*');
    const checks: AuthorizationCheck[] = [{ action: actionOf('ec2', req.operation), resource: created, context: { ...region, ...requestTagContext(tags) } }];
    for (const parent of create.parents) for (const id of ids(parent.input)) checks.push(existing(id));
    if (Object.keys(tags).length > 0) {
      checks.push({ action: 'ec2:CreateTags', resource: created, context: { ...region, ...requestTagContext(tags), 'ec2:CreateAction': req.operation } });
    }
    return checks;
  }
  if (req.operation === 'CreateTags' || req.operation === 'DeleteTags') {
    const tags = tagListRecord(req.input.Tag);
    return ids('ResourceId').map((id) => {
      const check = existing(id);
      return { ...check, context: { ...check.context, ...requestTagContext(tags) } };
    });
  }
  if (req.operation === 'DisassociateRouteTable') {
    const table = ids('AssociationId').map((a) => req.directory.ec2RouteTableOfAssociation(req.region, a)).find((t) => t !== undefined);
    return [table ? existing(table) : { action: 'ec2:DisassociateRouteTable', resource: arn('route-table', '*'), context: region }];
  }
  const members = ON_EXISTING[req.operation];
  if (members) return members.flatMap(ids).map(existing);
  // Describe* are wildcard-only actions in EC2.
  return [{ action: actionOf('ec2', req.operation), resource: '*', context: region }];
}
