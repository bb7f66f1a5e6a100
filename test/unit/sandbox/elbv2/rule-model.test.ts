// Listener-rule conditions and actions are checked the way ALB checks them.
import t from 'tap';
import { normaliseActions, normaliseConditions } from '../../../../src/sandbox/aws/services/elbv2/rule-model.js';

const known = (arn: string) => (arn.startsWith('arn:tg') ? { protocolVersion: 'GRPC' } : undefined);

t.test('conditions', async (t) => {
  const cases: { reason: string; input: unknown; error?: string; values?: string[] }[] = [
    { reason: 'PathPatternConfig values are kept and echoed as Values', input: [{ Field: 'path-pattern', PathPatternConfig: { Values: ['/a.B', '/a.B/*'] } }], values: ['/a.B', '/a.B/*'] },
    { reason: 'legacy Values are accepted', input: [{ Field: 'path-pattern', Values: ['/x'] }], values: ['/x'] },
    { reason: 'a Prefix path plus a host uses 3 of 5 values', input: [{ Field: 'path-pattern', Values: ['/a', '/a/*'] }, { Field: 'host-header', Values: ['h'] }], values: ['/a', '/a/*'] },
    { reason: 'six values exceed the 5-value quota', input: [{ Field: 'path-pattern', Values: ['/1', '/2', '/3', '/4', '/5', '/6'] }], error: 'InvalidConfigurationRequest' },
    { reason: 'values over two conditions count together', input: [{ Field: 'path-pattern', Values: ['/1', '/2', '/3'] }, { Field: 'host-header', Values: ['a', 'b', 'c'] }], error: 'InvalidConfigurationRequest' },
    { reason: 'both Values and PathPatternConfig is invalid', input: [{ Field: 'path-pattern', Values: ['/1'], PathPatternConfig: { Values: ['/2'] } }], error: 'ValidationError' },
    { reason: 'two path-pattern conditions are refused', input: [{ Field: 'path-pattern', Values: ['/1'] }, { Field: 'path-pattern', Values: ['/2'] }], error: 'InvalidConfigurationRequest' },
    { reason: 'a rule needs a condition', input: '', error: 'ValidationError' },
    { reason: 'unknown fields are refused', input: [{ Field: 'path', Values: ['/1'] }], error: 'ValidationError' },
    { reason: 'path patterns are at most 128 characters', input: [{ Field: 'path-pattern', Values: ['/' + 'a'.repeat(128)] }], error: 'ValidationError' },
  ];
  for (const c of cases) {
    if (c.error) {
      t.throws(() => normaliseConditions(c.input), { code: c.error }, c.reason);
    } else {
      const out = normaliseConditions(c.input);
      t.same(out[0]!.PathPatternConfig.Values, c.values, c.reason);
      t.same(out[0]!.Values, c.values, `${c.reason} (Values)`);
    }
  }
});

t.test('actions', async (t) => {
  t.same(normaliseActions([{ Type: 'forward', TargetGroupArn: 'arn:tg/1' }], known), [{ Type: 'forward', TargetGroupArn: 'arn:tg/1' }], 'forward by TargetGroupArn');
  t.same(normaliseActions([{ Type: 'forward', ForwardConfig: { TargetGroups: [{ TargetGroupArn: 'arn:tg/1' }] } }], known),
    [{ Type: 'forward', ForwardConfig: { TargetGroups: [{ TargetGroupArn: 'arn:tg/1', Weight: 1 }] } }], 'forward by ForwardConfig, weight defaulted');
  t.throws(() => normaliseActions([{ Type: 'forward', TargetGroupArn: 'arn:other' }], known), { code: 'TargetGroupNotFound' }, 'unknown target group');
  t.throws(() => normaliseActions([{ Type: 'forward' }], known), { code: 'ValidationError' }, 'forward without a group');
  t.throws(() => normaliseActions([{ Type: 'fixed-response', FixedResponseConfig: { StatusCode: '302' } }], known), { code: 'ValidationError' }, 'fixed response must be 2XX/4XX/5XX');
  t.same(normaliseActions([{ Type: 'fixed-response', FixedResponseConfig: { StatusCode: '404', ContentType: 'text/plain' } }], known)[0]!.FixedResponseConfig,
    { StatusCode: '404', ContentType: 'text/plain', MessageBody: undefined }, 'fixed 404');
  t.throws(() => normaliseActions([{ Type: 'authenticate-oidc' }], known), { code: 'InvalidLoadBalancerAction' }, 'unsupported action');
  t.throws(() => normaliseActions([], known), { code: 'ValidationError' }, 'an action is required');
});
