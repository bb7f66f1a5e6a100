// Issue 15: the IAM OIDC provider records what platformd applied (the applied-digest tag, in
// CreateOpenIDConnectProvider's tags: URL and client ids are all set by that call and never
// changed). Its diff, given the live provider, says which side moved. The sandbox does not emulate
// AddClientIDToOpenIDConnectProvider (platformd never calls it), so the provider changed outside
// is the live one as that call would leave it: its state with another client id, its tags as read.
import t from 'tap';
import { GetOpenIDConnectProviderCommand } from '@aws-sdk/client-iam';
import { startTestSandbox } from '../helpers/sandbox.js';
import { referenceSpec } from '../helpers/specs.js';
import { applyPlatform, planPlatform } from '../../src/engine.js';
import { TAG_APPLIED_DIGEST } from '../../src/resources/applied-digest.js';
import { oidcProviderKind } from '../../src/resources/iam/oidc-provider.js';
import type { Observed } from '../../src/resources/kind.js';

t.test('OIDC provider: spec, outside and both from its record; the record is never a change', async (t) => {
  const sb = await startTestSandbox();
  t.teardown(sb.close);
  const opts = { spec: await referenceSpec(), aws: sb.clients, layers: ['network' as const, 'iam' as const, 'eks' as const] };
  t.same((await applyPlatform(opts)).failed, [], 'converged');
  const converged = await planPlatform(opts);
  t.same(converged.plan.changes, [], 'the next plan is empty: the applied-digest tag is not a change');
  const live = converged.observed.get('iam/oidc-provider')! as Observed<{ url: string; clientIds: string[] }>;
  const tags = (await sb.clients.iam.send(new GetOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: live.physicalId }))).Tags ?? [];
  t.match(tags.find((x) => x.Key === TAG_APPLIED_DIGEST)?.Value, /^v1( [0-9a-f]{6})+$/, 'the provider carries what platformd applied');

  const applied = live.state;
  const bySpec = oidcProviderKind.diff({ ...applied, clientIds: ['sts.amazonaws.com', 'other.example.com'] }, live);
  t.same(bySpec.origins, { clientIds: 'spec' }, 'client ids the spec changed: spec');
  const changedOutside = { ...live, state: { ...applied, clientIds: ['another.example.com', 'sts.amazonaws.com'] } };
  t.same(oidcProviderKind.diff(applied, changedOutside).origins, { clientIds: 'outside' }, 'a client id added outside: outside');
  const both = oidcProviderKind.diff({ url: 'https://oidc.eks.ap-northeast-1.amazonaws.com/id/OTHER', clientIds: applied.clientIds }, changedOutside);
  t.same(both.origins, { url: 'spec', clientIds: 'outside' }, 'another issuer in the spec and a client id added outside: each field named');
});
