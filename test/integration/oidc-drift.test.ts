// The cluster's OIDC provider is read on every reconcile, not cached like other parties'
// providers: a client id removed behind platformd's back (which breaks every pod's web identity)
// shows in the next plan of the same process, and apply repairs it.
import t from 'tap';
import { ListOpenIDConnectProvidersCommand, RemoveClientIDFromOpenIDConnectProviderCommand } from '@aws-sdk/client-iam';
import { startTestSandbox } from '../helpers/sandbox.js';
import { referenceSpec } from '../helpers/specs.js';
import { applyPlatform, planPlatform } from '../../src/engine.js';

const LAYERS: ('network' | 'iam' | 'eks')[] = ['network', 'iam', 'eks'];

t.test('a client id removed from our OIDC provider shows in the next plan of the same process', async (t) => {
  const sb = await startTestSandbox();
  t.teardown(sb.close);
  const opts = { spec: await referenceSpec(), aws: sb.clients, layers: LAYERS };
  t.same((await applyPlatform(opts)).failed, [], 'converged');
  t.same((await planPlatform(opts)).plan.changes, [], 'a no-op plan (and every provider read once in this process)');

  const [provider] = (await sb.clients.iam.send(new ListOpenIDConnectProvidersCommand({}))).OpenIDConnectProviderList!;
  await sb.clients.iam.send(new RemoveClientIDFromOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: provider!.Arn, ClientID: 'sts.amazonaws.com' }));
  const drifted = await planPlatform(opts);
  const change = drifted.plan.changes.find((c) => c.kind === 'iam/oidc-provider');
  t.ok(change, `the provider's change is planned (changes: ${drifted.plan.changes.map((c) => `${c.action} ${c.id}`).join(', ')})`);
  t.same(change?.fields.map((f) => f.path), ['clientIds'], 'its client ids, exactly');
  t.equal(change?.origin, 'outside', 'changed outside platformd (the provider records the client ids it applied)');
  t.equal(change?.action, '~', 'an update in place (AddClientIDToOpenIDConnectProvider), not a replacement that would break IRSA meanwhile');
  t.same(drifted.plan.changes.map((c) => c.id), [change?.id], 'and nothing else: the roles that trust it keep its ARN');

  const mark = sb.aws.callLog.mark();
  t.same((await applyPlatform({ ...opts, plan: drifted })).failed, [], 'repaired');
  t.same(sb.aws.callLog.since(mark).filter((c) => c.service === 'iam' && !/^(Get|List)/.test(c.operation)).map((c) => c.operation), ['AddClientIDToOpenIDConnectProvider', 'TagOpenIDConnectProvider'], 'by adding the client id back, then recording what it applied');
  t.same((await planPlatform(opts)).plan.changes, [], 'converged again');
});
