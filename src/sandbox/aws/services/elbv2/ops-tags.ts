// AddTags, RemoveTags, DescribeTags over load balancers, target groups, listeners and rules.
// DescribeTags takes at most 20 ARNs per call — which is why readers batch in twenties.
import { ServiceError, type OperationHandler } from '../../service.js';
import { notFoundFor, type Elbv2Deps } from './deps.js';
import { list, MAX_TAGS, tagsInput, validation } from './input.js';
import type { Elbv2State } from './state.js';
import { wireTags } from './wire.js';

/** DescribeTags' limit on ResourceArns per call. */
const MAX_DESCRIBE_TAGS_ARNS = 20;

export function tagOperations(deps: Elbv2Deps): Record<string, OperationHandler> {
  return {
    AddTags(input, ctx) {
      const state = deps.state(ctx);
      const arns = arnsOf(input.ResourceArns);
      const tags = tagsInput(input.Tags);
      if (tags.length === 0) throw validation('At least one tag must be specified');
      for (const arn of arns) {
        const current = tagsOf(state, arn);
        const keys = new Set([...current.keys(), ...tags.map(([k]) => k)]);
        if (keys.size > MAX_TAGS) throw new ServiceError('TooManyTags', `You've reached the limit on the number of tags for this resource (${MAX_TAGS})`, 400);
      }
      for (const arn of arns) {
        const current = tagsOf(state, arn);
        for (const [k, v] of tags) current.set(k, v);
      }
      state.changed();
      return {};
    },

    RemoveTags(input, ctx) {
      const state = deps.state(ctx);
      const arns = arnsOf(input.ResourceArns);
      const keys = list<string>(input.TagKeys);
      for (const arn of arns) tagsOf(state, arn);
      for (const arn of arns) {
        const current = tagsOf(state, arn);
        for (const k of keys) current.delete(k);
      }
      state.changed();
      return {};
    },

    DescribeTags(input, ctx) {
      const state = deps.state(ctx);
      const arns = arnsOf(input.ResourceArns);
      if (arns.length > MAX_DESCRIBE_TAGS_ARNS) {
        throw validation(`1 validation error detected: Value at 'resourceArns' failed to satisfy constraint: Member must have length less than or equal to ${MAX_DESCRIBE_TAGS_ARNS}`);
      }
      return { TagDescriptions: arns.map((arn) => ({ ResourceArn: arn, Tags: wireTags(tagsOf(state, arn)) })) };
    },
  };
}

function arnsOf(v: unknown): string[] {
  const arns = list<string>(v);
  if (arns.length === 0) throw validation(`1 validation error detected: Value null at 'resourceArns' failed to satisfy constraint: Member must not be null`);
  return arns;
}

/** The live tag map of an existing resource, or its NotFound error. */
function tagsOf(state: Elbv2State, arn: string): Map<string, string> {
  const exists = state.loadBalancers.has(arn) || state.targetGroups.has(arn) || state.listeners.has(arn) || state.rules.has(arn);
  if (!exists) throw notFoundFor(arn);
  let m = state.tags.get(arn);
  if (!m) {
    m = new Map();
    state.tags.set(arn, m);
  }
  return m;
}
