// What one emulated request asks IAM for: the actions, resource ARNs and request context that AWS
// authorises for it. Per service, for the operations platformd (and the emulated controllers)
// call; any other operation is checked as `<prefix>:<Operation>` on resource "*", which is coarser
// than AWS (a policy that scopes that action to ARNs is then judged by the library's wildcard
// matching, not by the object's own ARN). Resource types and the condition keys each one carries
// follow the Service Authorization Reference
// (https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html).
import { ec2Checks } from './checks-ec2.js';
import { serviceChecks } from './checks-services.js';
import { elbv2Checks } from './checks-elbv2.js';

/** One authorisation question: may the principal perform `action` on `resource` in this context? */
export interface AuthorizationCheck {
  action: string;
  resource: string;
  context: Record<string, string | string[]>;
}

/** Live objects the checks read: an object's ARN and tags (for aws:ResourceTag). */
export interface ResourceDirectory {
  /** Tags of an EC2 object by id (vpc-…, subnet-…, igw-…, eipalloc-…, nat-…, rtb-…). */
  ec2Tags(region: string, id: string): Record<string, string> | undefined;
  /** The route table holding an association id (DisassociateRouteTable names only the association). */
  ec2RouteTableOfAssociation(region: string, associationId: string): string | undefined;
  /** ARN and tags of a live object of another service, looked up by the ARN the check built. */
  iamRole(name: string): { arn: string; tags: Record<string, string> } | undefined;
  eksObject(region: string, kind: 'cluster' | 'nodegroup' | 'addon' | 'access-entry', cluster: string, name?: string): { arn: string; tags: Record<string, string> } | undefined;
  tagsOfArn(arn: string): Record<string, string> | undefined;
}

export interface CheckRequest {
  service: string;
  operation: string;
  input: Record<string, unknown>;
  region: string;
  accountId: string;
  directory: ResourceDirectory;
}

/** IAM action prefixes of the emulated services (the Service Authorization Reference's prefixes). */
export const ACTION_PREFIX: Record<string, string> = { elbv2: 'elasticloadbalancing' };

export function actionOf(service: string, operation: string): string {
  return `${ACTION_PREFIX[service] ?? service}:${operation}`;
}

/** aws:ResourceTag/<key> (and the service's own alias where it has one, e.g. ec2:ResourceTag/<key>). */
export function resourceTagContext(tags: Record<string, string> | undefined, alias?: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(tags ?? {})) {
    out[`aws:ResourceTag/${k}`] = v;
    if (alias) out[`${alias}:ResourceTag/${k}`] = v;
  }
  return out;
}

/** aws:RequestTag/<key> and aws:TagKeys for tags sent in the request. */
export function requestTagContext(tags: Record<string, string>): Record<string, string | string[]> {
  const keys = Object.keys(tags);
  if (keys.length === 0) return {};
  const out: Record<string, string | string[]> = { 'aws:TagKeys': keys };
  for (const [k, v] of Object.entries(tags)) out[`aws:RequestTag/${k}`] = v;
  return out;
}

/** A {Key, Value}[] tag list (as the query and JSON protocols decode it) → record. */
export function tagListRecord(list: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (!Array.isArray(list)) return out;
  for (const t of list as { Key?: unknown; Value?: unknown }[]) if (typeof t?.Key === 'string') out[t.Key] = typeof t.Value === 'string' ? t.Value : '';
  return out;
}

/** Every check one request needs; the first that is not allowed refuses the request. */
export function checksFor(req: CheckRequest): AuthorizationCheck[] {
  const specific = req.service === 'ec2' ? ec2Checks(req) : req.service === 'elbv2' ? elbv2Checks(req) : serviceChecks(req);
  return specific ?? [{ action: actionOf(req.service, req.operation), resource: '*', context: {} }];
}
