// STS AssumeRoleWithWebIdentity against the emulated issuers and IAM: each refusal STS gives
// before and at the trust policy, and the session it issues.
import t from 'tap';
import { ServiceError } from '../../../src/sandbox/aws/service.js';
import { IamState } from '../../../src/sandbox/aws/services/iam/state.js';
import { IamEnforcer } from '../../../src/sandbox/aws/iam-auth/enforcer.js';
import { WebIdentityFederation } from '../../../src/sandbox/aws/iam-auth/web-identity.js';
import { OidcIssuers } from '../../../src/sandbox/kube/oidc-issuer.js';
import { irsaTrust } from '../../../src/resources/iam/policy-document.js';

const ACCOUNT = '123456789012';
const ISSUER = 'https://oidc.eks.ap-northeast-1.amazonaws.com/id/0123456789ABCDEF0123456789ABCDEF';
const PROVIDER = `arn:aws:iam::${ACCOUNT}:oidc-provider/${ISSUER.slice('https://'.length)}`;
const ROLE = `arn:aws:iam::${ACCOUNT}:role/lbc`;

function world() {
  const iam = new IamState(ACCOUNT);
  iam.oidcProviders.set(PROVIDER, { arn: PROVIDER, url: ISSUER.slice('https://'.length), clientIds: ['sts.amazonaws.com'], thumbprints: [], tags: new Map(), created: new Date() });
  iam.roles.set('lbc', { name: 'lbc', path: '/', arn: ROLE, roleId: 'AROAEXAMPLE', created: new Date(), tags: new Map(), attached: new Set(),
    trust: JSON.stringify(irsaTrust(PROVIDER, ISSUER, 'kube-system', 'aws-load-balancer-controller')) });
  const issuers = new OidcIssuers();
  const enforcer = new IamEnforcer({ ec2Tags: () => undefined, ec2RouteTableOfAssociation: () => undefined, iamRole: () => undefined, eksObject: () => undefined, tagsOfArn: () => undefined });
  const sts = new WebIdentityFederation({ iam: () => iam, verifyToken: (token) => issuers.verify(token), enforcer });
  const assume = (token: string, roleArn = ROLE) => sts.assume({ RoleArn: roleArn, RoleSessionName: '1700000000000000000', WebIdentityToken: token }, { accountId: ACCOUNT });
  return { iam, issuers, sts, assume };
}

const refusal = async (p: Promise<unknown>) => p.then(() => undefined, (e: unknown) => (e instanceof ServiceError ? { code: e.code, status: e.status, message: e.message } : { code: String(e), status: 0, message: '' }));

t.test('the controller\'s own token gets a session the emulator knows', async (t) => {
  const { issuers, sts, assume } = world();
  const out = await assume(issuers.issue(ISSUER, 'kube-system', 'aws-load-balancer-controller', 'sts.amazonaws.com'));
  t.match(out.Credentials.AccessKeyId, /^ASIA[A-Z2-7]{16}$/);
  t.equal(out.AssumedRoleUser.Arn, `arn:aws:sts::${ACCOUNT}:assumed-role/lbc/1700000000000000000`);
  t.equal(out.SubjectFromWebIdentityToken, 'system:serviceaccount:kube-system:aws-load-balancer-controller');
  t.ok(out.Credentials.Expiration.getTime() > Date.now() + 3500_000, 'an hour');
  t.ok(sts.knows(out.Credentials.AccessKeyId), 'the key is accepted');
  t.notOk(sts.knows('ASIAUNKNOWNKEY000000'));
});

t.test('refusals', async (t) => {
  const { iam, issuers, assume } = world();
  const token = (sa = 'aws-load-balancer-controller', aud = 'sts.amazonaws.com', issuer = ISSUER) => issuers.issue(issuer, 'kube-system', sa, aud);
  t.match(await refusal(assume(token('someone-else'))), { code: 'AccessDenied', status: 403, message: 'Not authorized to perform sts:AssumeRoleWithWebIdentity' }, 'another service account (:sub)');
  t.match(await refusal(assume(token(), `arn:aws:iam::${ACCOUNT}:role/missing`)), { code: 'AccessDenied' }, 'a role that does not exist');
  t.match(await refusal(assume(token(undefined, 'other-audience'))), { code: 'InvalidIdentityToken', message: 'Incorrect token audience' }, 'an audience the provider does not list');
  t.match(await refusal(assume(token(undefined, undefined, 'https://oidc.eks.ap-northeast-1.amazonaws.com/id/FFFF'))), { code: 'InvalidIdentityToken', message: /No OpenIDConnect provider found/ }, 'an issuer IAM has no provider for');
  const good = token();
  const [h, p] = good.split('.');
  const forged = `${h}.${p}.${Buffer.from('not a signature').toString('base64url')}`;
  t.match(await refusal(assume(forged)), { code: 'InvalidIdentityToken', status: 400 }, 'a signature the issuer did not make');
  t.match(await refusal(assume(issuers.issue(ISSUER, 'kube-system', 'aws-load-balancer-controller', 'sts.amazonaws.com', 60, Date.now() - 3600_000))), { code: 'ExpiredTokenException' }, 'an expired token');
  // :aud is a condition too: a trust that wants another audience refuses.
  const trust = irsaTrust(PROVIDER, ISSUER, 'kube-system', 'aws-load-balancer-controller') as unknown as { Statement: { Condition: { StringEquals: Record<string, string> } }[] };
  trust.Statement[0]!.Condition.StringEquals[`${ISSUER.slice(8)}:aud`] = 'something-else';
  iam.roles.get('lbc')!.trust = JSON.stringify(trust);
  t.match(await refusal(assume(token())), { code: 'AccessDenied' }, 'a trust conditioned on another audience');
});
