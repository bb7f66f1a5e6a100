// Conditions and actions of listener rules: normalised from the request and checked the way ALB
// checks them — the 5-condition-values quota, 128-character path patterns, one path-pattern
// condition per rule, forward targets that exist, fixed responses with a valid status code.
import { ServiceError } from '../../service.js';
import { list, num, str, validation } from './input.js';
import type { Action, Condition } from './state.js';

/** ALB quota: condition values per rule (a Prefix path from the LBC uses two). */
export const MAX_CONDITION_VALUES = 5;
const MAX_PATH_PATTERN_LENGTH = 128;
const FIELDS = new Set(['path-pattern', 'host-header', 'http-header', 'http-request-method', 'query-string', 'source-ip']);

/** Normalise and validate the Conditions of CreateRule/ModifyRule (request order kept). */
export function normaliseConditions(input: unknown): Condition[] {
  const raws = list<Record<string, any>>(input);
  if (raws.length === 0) throw validation('A rule must have at least one condition');
  const out: Condition[] = [];
  const seenFields = new Set<string>();
  let values = 0;
  for (const raw of raws) {
    const field = str(raw?.Field);
    if (!field || !FIELDS.has(field)) throw validation(`Condition field '${field ?? ''}' is not valid`);
    if ((field === 'path-pattern' || field === 'host-header') && seenFields.has(field)) {
      throw new ServiceError('InvalidConfigurationRequest', `A rule can only have one '${field}' condition`, 400);
    }
    seenFields.add(field);
    const legacy = list<string>(raw.Values);
    const condition: Condition = { Field: field };
    if (field === 'path-pattern' || field === 'host-header') {
      const configName = field === 'path-pattern' ? 'PathPatternConfig' : 'HostHeaderConfig';
      const typed = list<string>(raw[configName]?.Values);
      if (legacy.length > 0 && typed.length > 0) throw validation(`You cannot specify both 'Values' and '${configName}' for a condition`);
      const vals = legacy.length > 0 ? legacy : typed;
      if (vals.length === 0) throw validation(`A '${field}' condition must have at least one value`);
      for (const v of vals) {
        if (field === 'path-pattern' && v.length > MAX_PATH_PATTERN_LENGTH) {
          throw validation(`Path pattern '${v}' exceeds ${MAX_PATH_PATTERN_LENGTH} characters`);
        }
      }
      condition[configName] = { Values: [...vals] };
      condition.Values = [...vals];
      values += vals.length;
    } else if (field === 'http-header') {
      const hv = list<string>(raw.HttpHeaderConfig?.Values);
      condition.HttpHeaderConfig = { HttpHeaderName: str(raw.HttpHeaderConfig?.HttpHeaderName), Values: hv };
      values += hv.length;
    } else if (field === 'http-request-method') {
      const mv = list<string>(raw.HttpRequestMethodConfig?.Values);
      condition.HttpRequestMethodConfig = { Values: mv };
      values += mv.length;
    } else {
      if (legacy.length > 0) condition.Values = legacy;
      values += Math.max(1, legacy.length);
    }
    out.push(condition);
  }
  if (values > MAX_CONDITION_VALUES) {
    throw new ServiceError('InvalidConfigurationRequest', `A rule can only have '${MAX_CONDITION_VALUES}' condition values`, 400);
  }
  return out;
}

/** How ALB resolves a target group ARN while validating an action. */
export type TargetGroupLookup = (arn: string) => { protocolVersion: string } | undefined;

/** Normalise and validate actions (default actions and rule actions alike). */
export function normaliseActions(input: unknown, lookup: TargetGroupLookup): Action[] {
  const raws = list<Record<string, any>>(input);
  if (raws.length === 0) throw validation('At least one action must be specified');
  const out: Action[] = [];
  for (const raw of raws) {
    const type = str(raw?.Type);
    const order = num(raw?.Order, 'Order');
    if (type === 'forward') {
      const single = str(raw.TargetGroupArn);
      const groups = list<Record<string, any>>(raw.ForwardConfig?.TargetGroups).map((g) => ({
        TargetGroupArn: String(g.TargetGroupArn ?? ''),
        Weight: num(g.Weight, 'Weight') ?? 1,
      }));
      if (!single && groups.length === 0) throw validation('A forward action must specify a target group');
      if (groups.length > 5) throw new ServiceError('TooManyTargetGroups', 'A forward action can have at most 5 target groups', 400);
      for (const arn of single ? [single, ...groups.map((g) => g.TargetGroupArn)] : groups.map((g) => g.TargetGroupArn)) {
        if (!lookup(arn)) throw new ServiceError('TargetGroupNotFound', `Target group '${arn}' not found`, 400);
      }
      const action: Action = { Type: 'forward' };
      if (single) action.TargetGroupArn = single;
      if (groups.length > 0) action.ForwardConfig = { TargetGroups: groups };
      if (order !== undefined) action.Order = order;
      out.push(action);
    } else if (type === 'fixed-response') {
      const cfg = raw.FixedResponseConfig ?? {};
      const status = str(cfg.StatusCode);
      if (!status || !/^[245]\d\d$/.test(status)) throw validation(`Fixed response status code '${status ?? ''}' must be 2XX, 4XX or 5XX`);
      const action: Action = { Type: 'fixed-response', FixedResponseConfig: { StatusCode: status, ContentType: str(cfg.ContentType), MessageBody: str(cfg.MessageBody) } };
      if (order !== undefined) action.Order = order;
      out.push(action);
    } else if (type === 'redirect') {
      const action: Action = { Type: 'redirect', RedirectConfig: { ...(raw.RedirectConfig ?? {}) } };
      if (order !== undefined) action.Order = order;
      out.push(action);
    } else {
      throw new ServiceError('InvalidLoadBalancerAction', `Action type '${type ?? ''}' is not supported`, 400);
    }
  }
  return out;
}
