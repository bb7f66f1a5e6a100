// CreateRule, ModifyRule, DeleteRule, SetRulePriorities, DescribeRules. Priorities are unique
// per listener (PriorityInUse); a load balancer holds at most 100 non-default rules across its
// listeners (TooManyRules); the default rule is the listener's default actions and cannot be deleted.
import { ServiceError, type OperationHandler } from '../../service.js';
import type { Elbv2Deps } from './deps.js';
import { checkForwardTargets } from './forward-check.js';
import { getListener } from './ops-listeners.js';
import { list, num, page, required, tagsInput } from './input.js';
import { normaliseActions, normaliseConditions } from './rule-model.js';
import { hexId, type Elbv2State, type Rule } from './state.js';
import { wireDefaultRule, wireRule } from './wire.js';

/** ALB quota: rules per load balancer, excluding default rules (alb-grpc.md §3). */
export const MAX_RULES_PER_LB = 100;

export function ruleOperations(deps: Elbv2Deps): Record<string, OperationHandler> {
  return {
    CreateRule(input, ctx) {
      const state = deps.state(ctx);
      const listener = getListener(state, input.ListenerArn);
      const priority = priorityOf(input.Priority);
      const conditions = normaliseConditions(input.Conditions);
      const actions = normaliseActions(input.Actions, (a) => state.targetGroups.get(a));
      checkForwardTargets(state, listener.lbArn, listener.protocol, actions);
      if (state.rulesOf(listener.arn).some((r) => r.priority === priority)) {
        throw new ServiceError('PriorityInUse', `Priority '${priority}' is currently in use`, 400);
      }
      if (state.ruleCountOf(listener.lbArn) >= MAX_RULES_PER_LB) {
        throw new ServiceError('TooManyRules', `You've reached the limit on the number of rules per load balancer (${MAX_RULES_PER_LB})`, 400);
      }
      const tail = listener.arn.split(':listener/')[1]!;
      const rule: Rule = { arn: state.arn(`listener-rule/${tail}/${hexId()}`), listenerArn: listener.arn, priority, conditions, actions };
      state.rules.set(rule.arn, rule);
      state.tags.set(rule.arn, new Map(tagsInput(input.Tags)));
      state.changed();
      return { Rules: [wireRule(rule)] };
    },

    ModifyRule(input, ctx) {
      const state = deps.state(ctx);
      const rule = getRule(state, input.RuleArn);
      const listener = getListener(state, rule.listenerArn);
      const conditions = list(input.Conditions).length > 0 ? normaliseConditions(input.Conditions) : rule.conditions;
      const actions = list(input.Actions).length > 0 ? normaliseActions(input.Actions, (a) => state.targetGroups.get(a)) : rule.actions;
      checkForwardTargets(state, listener.lbArn, listener.protocol, actions);
      rule.conditions = conditions;
      rule.actions = actions;
      state.changed();
      return { Rules: [wireRule(rule)] };
    },

    DeleteRule(input, ctx) {
      const state = deps.state(ctx);
      const arn = required(input.RuleArn, 'RuleArn');
      if (arn.endsWith('/default') && state.listeners.has(arn.replace(':listener-rule/', ':listener/').replace(/\/default$/, ''))) {
        throw new ServiceError('OperationNotPermitted', 'Default rules cannot be deleted', 400);
      }
      getRule(state, arn);
      state.rules.delete(arn);
      state.tags.delete(arn);
      state.changed();
      return {};
    },

    SetRulePriorities(input, ctx) {
      const state = deps.state(ctx);
      const changes = list<Record<string, any>>(input.RulePriorities).map((p) => ({ rule: getRule(state, p.RuleArn), priority: priorityOf(p.Priority) }));
      // Validate the whole batch against the final arrangement before changing anything.
      const byListener = new Map<string, Map<number, string>>();
      for (const r of state.rules.values()) {
        const moved = changes.find((c) => c.rule.arn === r.arn);
        const pr = moved ? moved.priority : r.priority;
        const m = byListener.get(r.listenerArn) ?? new Map<number, string>();
        if (m.has(pr)) throw new ServiceError('PriorityInUse', `Priority '${pr}' is currently in use`, 400);
        m.set(pr, r.arn);
        byListener.set(r.listenerArn, m);
      }
      for (const c of changes) c.rule.priority = c.priority;
      state.changed();
      return { Rules: changes.map((c) => wireRule(c.rule)) };
    },

    DescribeRules(input, ctx) {
      const state = deps.state(ctx);
      const arns = list<string>(input.RuleArns);
      let rules: Record<string, unknown>[];
      if (arns.length > 0) {
        rules = arns.map((a) => wireRule(getRule(state, a)));
      } else {
        const listener = getListener(state, input.ListenerArn);
        rules = [...state.rulesOf(listener.arn).map(wireRule), wireDefaultRule(listener)];
      }
      const p = page(rules, input);
      return { Rules: p.items, NextMarker: p.NextMarker };
    },
  };
}

function getRule(state: Elbv2State, arnInput: unknown): Rule {
  const arn = required(arnInput, 'RuleArn');
  const r = state.rules.get(arn);
  if (!r) throw new ServiceError('RuleNotFound', 'One or more rules not found', 400);
  return r;
}

function priorityOf(v: unknown): number {
  const p = num(v, 'Priority');
  if (p === undefined || p < 1 || p > 50_000) {
    throw new ServiceError('ValidationError', `1 validation error detected: Value '${String(v)}' at 'priority' failed to satisfy constraint: Member must have value between 1 and 50000`, 400);
  }
  return p;
}
