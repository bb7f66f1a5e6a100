// ELBv2's authorisation of the operations the load balancer controller calls: each acts on the ARN
// of the load balancer, target group, listener or rule it names (resource types per action:
// https://docs.aws.amazon.com/service-authorization/latest/reference/list_awselasticloadbalancingv2.html),
// with aws:ResourceTag from the live object. Tags given in a Create* call are authorised again as
// elasticloadbalancing:AddTags on the new resource with elasticloadbalancing:CreateAction = the
// create operation ("Resource-level permissions for tagging on creation":
// https://docs.aws.amazon.com/elasticloadbalancing/latest/userguide/elb-iam-policies.html#tag-on-create;
// the reason the controller's upstream iam_policy.json carries its AddTags/CreateAction statement).
import { actionOf, requestTagContext, resourceTagContext, tagListRecord, type AuthorizationCheck, type CheckRequest } from './checks.js';

const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const strings = (v: unknown): string[] => (Array.isArray(v) ? v : v === undefined ? [] : [v]).filter((x): x is string => typeof x === 'string');

/** Operations on one existing object, by the input member naming its ARN. */
const ON_ARN: Record<string, string> = {
  DeleteLoadBalancer: 'LoadBalancerArn', ModifyLoadBalancerAttributes: 'LoadBalancerArn', SetSecurityGroups: 'LoadBalancerArn', SetSubnets: 'LoadBalancerArn',
  SetIpAddressType: 'LoadBalancerArn', CreateListener: 'LoadBalancerArn',
  ModifyTargetGroup: 'TargetGroupArn', ModifyTargetGroupAttributes: 'TargetGroupArn', DeleteTargetGroup: 'TargetGroupArn',
  RegisterTargets: 'TargetGroupArn', DeregisterTargets: 'TargetGroupArn',
  ModifyListener: 'ListenerArn', DeleteListener: 'ListenerArn', ModifyListenerAttributes: 'ListenerArn', CreateRule: 'ListenerArn',
  AddListenerCertificates: 'ListenerArn', RemoveListenerCertificates: 'ListenerArn',
  ModifyRule: 'RuleArn', DeleteRule: 'RuleArn',
};

/** The creates and the resource their tags land on (a listener's and a rule's ARN extend their parent's). */
const CREATES: Record<string, (req: CheckRequest, base: string) => string> = {
  CreateLoadBalancer: (req, base) => `${base}:loadbalancer/${str(req.input.Type) === 'network' ? 'net' : 'app'}/${str(req.input.Name)}/*`,
  CreateTargetGroup: (req, base) => `${base}:targetgroup/${str(req.input.Name)}/*`,
  CreateListener: (req) => `${str(req.input.LoadBalancerArn).replace(':loadbalancer/', ':listener/')}/*`,
  CreateRule: (req) => `${str(req.input.ListenerArn).replace(':listener/', ':listener-rule/')}/*`,
};

export function elbv2Checks(req: CheckRequest): AuthorizationCheck[] | undefined {
  const action = actionOf('elbv2', req.operation);
  const base = `arn:aws:elasticloadbalancing:${req.region}:${req.accountId}`;
  const onArn = (arn: string): AuthorizationCheck => ({ action, resource: arn, context: resourceTagContext(req.directory.tagsOfArn(arn), 'elasticloadbalancing') });
  const tags = tagListRecord(req.input.Tags);
  const create = CREATES[req.operation];
  if (create) {
    const created = create(req, base);
    // CreateLoadBalancer and CreateTargetGroup act on the new resource; CreateListener and
    // CreateRule on the load balancer / listener they are added to.
    const parent = ON_ARN[req.operation];
    const first = parent ? onArn(str(req.input[parent])) : { action, resource: created, context: {} };
    const checks: AuthorizationCheck[] = [{ ...first, context: { ...first.context, ...requestTagContext(tags) } }];
    if (Object.keys(tags).length > 0) {
      checks.push({ action: 'elasticloadbalancing:AddTags', resource: created, context: { ...requestTagContext(tags), 'elasticloadbalancing:CreateAction': req.operation } });
    }
    return checks;
  }
  if (req.operation === 'AddTags' || req.operation === 'RemoveTags') {
    const requested = req.operation === 'AddTags' ? requestTagContext(tags) : strings(req.input.TagKeys).length > 0 ? { 'aws:TagKeys': strings(req.input.TagKeys) } : {};
    return strings(req.input.ResourceArns).map((arn) => {
      const check = onArn(arn);
      return { ...check, context: { ...check.context, ...requested } };
    });
  }
  const member = ON_ARN[req.operation];
  if (member) return [onArn(str(req.input[member]))];
  // Describe* are wildcard-only actions.
  return [{ action, resource: '*', context: {} }];
}
