// The AWS Load Balancer Controller's permissions as a customer-managed policy, versioned with the
// controller: the first statement's Sid names the version, so bumping the controller becomes a new
// default policy version. Families follow the controller's published iam_policy.json.
import type { PolicyDocument } from './policy-document.js';

export function loadBalancerControllerPolicy(version: string): PolicyDocument {
  const v = version.replace(/[^0-9A-Za-z]/g, '');
  return {
    Version: '2012-10-17',
    Statement: [
      { Sid: `AwsLoadBalancerController${v}ServiceLinkedRole`, Effect: 'Allow', Action: ['iam:CreateServiceLinkedRole'], Resource: '*',
        Condition: { StringEquals: { 'iam:AWSServiceName': 'elasticloadbalancing.amazonaws.com' } } },
      { Sid: 'Describe', Effect: 'Allow', Resource: '*', Action: [
        'ec2:DescribeAccountAttributes', 'ec2:DescribeAddresses', 'ec2:DescribeAvailabilityZones', 'ec2:DescribeInternetGateways', 'ec2:DescribeVpcs',
        'ec2:DescribeVpcPeeringConnections', 'ec2:DescribeSubnets', 'ec2:DescribeSecurityGroups', 'ec2:DescribeInstances', 'ec2:DescribeNetworkInterfaces',
        'ec2:DescribeTags', 'ec2:GetCoipPoolUsage', 'ec2:DescribeCoipPools', 'ec2:GetSecurityGroupsForVpc', 'ec2:DescribeIpamPools', 'ec2:DescribeRouteTables',
        'elasticloadbalancing:DescribeLoadBalancers', 'elasticloadbalancing:DescribeLoadBalancerAttributes', 'elasticloadbalancing:DescribeListeners',
        'elasticloadbalancing:DescribeListenerCertificates', 'elasticloadbalancing:DescribeSSLPolicies', 'elasticloadbalancing:DescribeRules',
        'elasticloadbalancing:DescribeTargetGroups', 'elasticloadbalancing:DescribeTargetGroupAttributes', 'elasticloadbalancing:DescribeTargetHealth',
        'elasticloadbalancing:DescribeTags', 'elasticloadbalancing:DescribeTrustStores', 'elasticloadbalancing:DescribeListenerAttributes',
        'elasticloadbalancing:DescribeCapacityReservation',
      ] },
      { Sid: 'CertificatesAndShields', Effect: 'Allow', Resource: '*', Action: [
        'cognito-idp:DescribeUserPoolClient', 'acm:ListCertificates', 'acm:DescribeCertificate', 'iam:ListServerCertificates', 'iam:GetServerCertificate',
        'waf-regional:GetWebACL', 'waf-regional:GetWebACLForResource', 'waf-regional:AssociateWebACL', 'waf-regional:DisassociateWebACL',
        'wafv2:GetWebACL', 'wafv2:GetWebACLForResource', 'wafv2:AssociateWebACL', 'wafv2:DisassociateWebACL',
        'shield:GetSubscriptionState', 'shield:DescribeProtection', 'shield:CreateProtection', 'shield:DeleteProtection',
      ] },
      { Sid: 'SecurityGroups', Effect: 'Allow', Resource: '*', Action: ['ec2:AuthorizeSecurityGroupIngress', 'ec2:RevokeSecurityGroupIngress', 'ec2:CreateSecurityGroup'] },
      { Sid: 'SecurityGroupTags', Effect: 'Allow', Resource: 'arn:aws:ec2:*:*:security-group/*', Action: ['ec2:CreateTags', 'ec2:DeleteTags'],
        Condition: { Null: { 'aws:ResourceTag/elbv2.k8s.aws/cluster': 'false' } } },
      { Sid: 'ManageOwnSecurityGroups', Effect: 'Allow', Resource: '*', Action: ['ec2:AuthorizeSecurityGroupIngress', 'ec2:RevokeSecurityGroupIngress', 'ec2:DeleteSecurityGroup'],
        Condition: { Null: { 'aws:ResourceTag/elbv2.k8s.aws/cluster': 'false' } } },
      { Sid: 'CreateLoadBalancers', Effect: 'Allow', Resource: '*', Action: ['elasticloadbalancing:CreateLoadBalancer', 'elasticloadbalancing:CreateTargetGroup'],
        Condition: { Null: { 'aws:RequestTag/elbv2.k8s.aws/cluster': 'false' } } },
      { Sid: 'ListenersAndRules', Effect: 'Allow', Resource: '*', Action: [
        'elasticloadbalancing:CreateListener', 'elasticloadbalancing:DeleteListener', 'elasticloadbalancing:CreateRule', 'elasticloadbalancing:DeleteRule',
      ] },
      { Sid: 'ManageOwnLoadBalancers', Effect: 'Allow', Resource: '*', Action: [
        'elasticloadbalancing:ModifyLoadBalancerAttributes', 'elasticloadbalancing:SetIpAddressType', 'elasticloadbalancing:SetSecurityGroups',
        'elasticloadbalancing:SetSubnets', 'elasticloadbalancing:DeleteLoadBalancer', 'elasticloadbalancing:ModifyTargetGroup',
        'elasticloadbalancing:ModifyTargetGroupAttributes', 'elasticloadbalancing:DeleteTargetGroup', 'elasticloadbalancing:ModifyListenerAttributes',
        'elasticloadbalancing:ModifyCapacityReservation', 'elasticloadbalancing:ModifyIpPools', 'elasticloadbalancing:AddTags', 'elasticloadbalancing:RemoveTags',
      ], Condition: { Null: { 'aws:ResourceTag/elbv2.k8s.aws/cluster': 'false' } } },
      { Sid: 'Targets', Effect: 'Allow', Resource: 'arn:aws:elasticloadbalancing:*:*:targetgroup/*/*',
        Action: ['elasticloadbalancing:RegisterTargets', 'elasticloadbalancing:DeregisterTargets'] },
      { Sid: 'ListenerConfig', Effect: 'Allow', Resource: '*', Action: [
        'elasticloadbalancing:SetWebAcl', 'elasticloadbalancing:ModifyListener', 'elasticloadbalancing:AddListenerCertificates',
        'elasticloadbalancing:RemoveListenerCertificates', 'elasticloadbalancing:ModifyRule', 'elasticloadbalancing:SetRulePriorities',
      ] },
    ],
  };
}
