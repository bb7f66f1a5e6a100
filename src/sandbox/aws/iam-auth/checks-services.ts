// Authorisation of the IAM, EKS, ACM and Route 53 operations: the resource ARN each acts on (as
// the Service Authorization Reference lists it per action), aws:ResourceTag from the live object,
// aws:RequestTag/aws:TagKeys from tags sent with a create, and iam:PassRole for the roles EKS is
// handed (https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_passrole.html; the
// iam:PassedToService value for EKS is eks.amazonaws.com:
// https://docs.aws.amazon.com/eks/latest/userguide/security-iam-id-based-policy-examples.html).
// Operations not listed here are checked on resource "*".
import { actionOf, requestTagContext, resourceTagContext, tagListRecord, type AuthorizationCheck, type CheckRequest } from './checks.js';

const str = (v: unknown): string => (typeof v === 'string' ? v : '');

function record(v: unknown): Record<string, string> {
  if (!v || typeof v !== 'object' || Array.isArray(v)) return {};
  return Object.fromEntries(Object.entries(v as Record<string, unknown>).filter((e): e is [string, string] => typeof e[1] === 'string'));
}

const IAM_ROLE_OPS = new Set(['GetRole', 'DeleteRole', 'UpdateAssumeRolePolicy', 'AttachRolePolicy', 'DetachRolePolicy', 'ListAttachedRolePolicies', 'TagRole', 'UntagRole', 'ListRoleTags']);
const IAM_POLICY_OPS = new Set(['GetPolicy', 'GetPolicyVersion', 'ListPolicyVersions', 'CreatePolicyVersion', 'DeletePolicyVersion', 'DeletePolicy']);
const IAM_OIDC_OPS = new Set(['GetOpenIDConnectProvider', 'AddClientIDToOpenIDConnectProvider', 'RemoveClientIDFromOpenIDConnectProvider', 'TagOpenIDConnectProvider', 'DeleteOpenIDConnectProvider']);

function iamChecks(req: CheckRequest): AuthorizationCheck[] | undefined {
  const action = actionOf('iam', req.operation);
  const account = `arn:aws:iam::${req.accountId}`;
  const { input } = req;
  if (req.operation === 'CreateRole') {
    return [{ action, resource: `${account}:role${str(input.Path) || '/'}${str(input.RoleName)}`, context: requestTagContext(tagListRecord(input.Tags)) }];
  }
  if (IAM_ROLE_OPS.has(req.operation)) {
    const role = req.directory.iamRole(str(input.RoleName));
    const context: Record<string, string | string[]> = { ...resourceTagContext(role?.tags, 'iam') };
    if (input.PolicyArn !== undefined) context['iam:PolicyARN'] = str(input.PolicyArn);
    if (req.operation === 'TagRole') Object.assign(context, requestTagContext(tagListRecord(input.Tags)));
    return [{ action, resource: role?.arn ?? `${account}:role/${str(input.RoleName)}`, context }];
  }
  if (req.operation === 'CreatePolicy') {
    return [{ action, resource: `${account}:policy${str(input.Path) || '/'}${str(input.PolicyName)}`, context: requestTagContext(tagListRecord(input.Tags)) }];
  }
  if (IAM_POLICY_OPS.has(req.operation)) return [{ action, resource: str(input.PolicyArn), context: resourceTagContext(req.directory.tagsOfArn(str(input.PolicyArn))) }];
  if (req.operation === 'CreateOpenIDConnectProvider') {
    return [{ action, resource: `${account}:oidc-provider/${str(input.Url).replace(/^https:\/\//, '')}`, context: requestTagContext(tagListRecord(input.Tags)) }];
  }
  if (IAM_OIDC_OPS.has(req.operation)) {
    const arn = str(input.OpenIDConnectProviderArn);
    const context = { ...resourceTagContext(req.directory.tagsOfArn(arn)), ...(req.operation === 'TagOpenIDConnectProvider' ? requestTagContext(tagListRecord(input.Tags)) : {}) };
    return [{ action, resource: arn, context }];
  }
  return undefined;
}

const EKS_ON_CLUSTER = new Set(['DescribeCluster', 'UpdateClusterConfig', 'UpdateClusterVersion', 'DeleteCluster', 'ListNodegroups', 'ListAddons', 'ListAccessEntries',
  'CreateNodegroup', 'CreateAddon', 'CreateAccessEntry']);
const EKS_ON_NODEGROUP = new Set(['DescribeNodegroup', 'UpdateNodegroupConfig', 'UpdateNodegroupVersion', 'DeleteNodegroup']);
const EKS_ON_ADDON = new Set(['DescribeAddon', 'UpdateAddon', 'DeleteAddon']);
const EKS_TAG_OPS = new Set(['TagResource', 'ListTagsForResource']);
const EKS_ON_ACCESS_ENTRY = new Set(['DescribeAccessEntry', 'DeleteAccessEntry', 'AssociateAccessPolicy', 'DisassociateAccessPolicy', 'ListAssociatedAccessPolicies']);

function passRole(roleArn: string): AuthorizationCheck {
  return { action: 'iam:PassRole', resource: roleArn, context: { 'iam:PassedToService': 'eks.amazonaws.com' } };
}

function eksChecks(req: CheckRequest): AuthorizationCheck[] | undefined {
  const action = actionOf('eks', req.operation);
  const { input, region } = req;
  const requestTags = requestTagContext(record(input.tags));
  const cluster = str(input.clusterName) || str(input.name);
  const base = `arn:aws:eks:${region}:${req.accountId}`;
  const onObject = (kind: 'cluster' | 'nodegroup' | 'addon' | 'access-entry', name: string | undefined, fallback: string): AuthorizationCheck => {
    const found = req.directory.eksObject(region, kind, cluster, name);
    return { action, resource: found?.arn ?? fallback, context: resourceTagContext(found?.tags) };
  };
  if (req.operation === 'CreateCluster') {
    // CreateCluster has no resource type in the reference: it is authorised on "*".
    return [{ action, resource: '*', context: requestTags }, ...(input.roleArn ? [passRole(str(input.roleArn))] : [])];
  }
  if (EKS_ON_CLUSTER.has(req.operation)) {
    const check = onObject('cluster', undefined, `${base}:cluster/${cluster}`);
    const checks = [{ ...check, context: { ...check.context, ...requestTags } }];
    if (req.operation === 'CreateNodegroup' && input.nodeRole) checks.push(passRole(str(input.nodeRole)));
    return checks;
  }
  if (EKS_ON_NODEGROUP.has(req.operation)) return [onObject('nodegroup', str(input.nodegroupName), `${base}:nodegroup/${cluster}/${str(input.nodegroupName)}/*`)];
  if (EKS_ON_ADDON.has(req.operation)) return [onObject('addon', str(input.addonName), `${base}:addon/${cluster}/${str(input.addonName)}/*`)];
  if (EKS_ON_ACCESS_ENTRY.has(req.operation)) return [onObject('access-entry', str(input.principalArn), `${base}:access-entry/${cluster}/*`)];
  if (EKS_TAG_OPS.has(req.operation)) {
    // On the object the ARN names (cluster, nodegroup, addon …), with its tags as aws:ResourceTag
    // and the tags sent (TagResource) as aws:RequestTag / aws:TagKeys.
    const arn = str(input.resourceArn);
    return [{ action, resource: arn, context: { ...resourceTagContext(req.directory.tagsOfArn(arn)), ...requestTags } }];
  }
  return undefined;
}

function acmChecks(req: CheckRequest): AuthorizationCheck[] | undefined {
  const action = actionOf('acm', req.operation);
  if (req.operation === 'RequestCertificate') return [{ action, resource: '*', context: requestTagContext(tagListRecord(req.input.Tags)) }];
  const arn = str(req.input.CertificateArn);
  if (!arn) return undefined;
  const context: Record<string, string | string[]> = resourceTagContext(req.directory.tagsOfArn(arn));
  if (req.operation === 'AddTagsToCertificate') Object.assign(context, requestTagContext(tagListRecord(req.input.Tags)));
  return [{ action, resource: arn, context }];
}

// ECR: every repository action acts on arn:aws:ecr:<region>:<account>:repository/<name>, with
// aws:ResourceTag; CreateRepository's tags are aws:RequestTag and also need ecr:TagResource
// (https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonelasticcontainerregistry.html,
// https://docs.aws.amazon.com/AmazonECR/latest/userguide/ecr-using-tags.html). DescribeRepositories
// without names lists the registry: checked on "*".
function ecrChecks(req: CheckRequest): AuthorizationCheck[] | undefined {
  const action = actionOf('ecr', req.operation);
  const repoArn = (name: unknown) => `arn:aws:ecr:${req.region}:${req.accountId}:repository/${str(name)}`;
  if (req.operation === 'CreateRepository') {
    const context = requestTagContext(tagListRecord(req.input.tags));
    const checks = [{ action, resource: repoArn(req.input.repositoryName), context }];
    if (Array.isArray(req.input.tags) && req.input.tags.length > 0) checks.push({ action: 'ecr:TagResource', resource: repoArn(req.input.repositoryName), context });
    return checks;
  }
  if (req.operation === 'DescribeRepositories') {
    const names = Array.isArray(req.input.repositoryNames) ? (req.input.repositoryNames as unknown[]) : [];
    if (names.length === 0) return [{ action, resource: '*', context: {} }];
    return names.map((n) => ({ action, resource: repoArn(n), context: resourceTagContext(req.directory.tagsOfArn(repoArn(n))) }));
  }
  const arn = req.input.resourceArn !== undefined ? str(req.input.resourceArn) : req.input.repositoryName !== undefined ? repoArn(req.input.repositoryName) : '';
  if (!arn) return undefined;
  const context: Record<string, string | string[]> = resourceTagContext(req.directory.tagsOfArn(arn));
  if (req.operation === 'TagResource') Object.assign(context, requestTagContext(tagListRecord(req.input.tags)));
  return [{ action, resource: arn, context }];
}

const ZONE_OPS = new Set(['GetHostedZone', 'ListResourceRecordSets', 'ChangeResourceRecordSets', 'DeleteHostedZone']);

function route53Checks(req: CheckRequest): AuthorizationCheck[] | undefined {
  const action = actionOf('route53', req.operation);
  const bare = (v: unknown) => str(v).replace(/^\/(hostedzone|change)\//, '');
  if (ZONE_OPS.has(req.operation)) return [{ action, resource: `arn:aws:route53:::hostedzone/${bare(req.input.Id)}`, context: {} }];
  if (req.operation === 'ChangeTagsForResource') return [{ action, resource: `arn:aws:route53:::hostedzone/${bare(req.input.ResourceId)}`, context: {} }];
  if (req.operation === 'GetChange') return [{ action, resource: `arn:aws:route53:::change/${bare(req.input.Id)}`, context: {} }];
  return undefined;
}

export function serviceChecks(req: CheckRequest): AuthorizationCheck[] | undefined {
  switch (req.service) {
    case 'iam': return iamChecks(req);
    case 'eks': return eksChecks(req);
    case 'acm': return acmChecks(req);
    case 'route53': return route53Checks(req);
    case 'ecr': return ecrChecks(req);
    default: return undefined;
  }
}
