import t from 'tap';
import { irsaTrust, normalisePolicy, policiesEqual, serviceTrust } from '../../../../src/resources/iam/policy-document.js';

const doc = {
  Version: '2012-10-17',
  Statement: [
    { Effect: 'Allow' as const, Action: ['s3:GetObject', 's3:ListBucket'], Resource: '*' },
    { Effect: 'Allow' as const, Principal: { Service: 'eks.amazonaws.com' }, Action: 'sts:AssumeRole' },
  ],
};

t.test('semantically equal documents compare equal', async (t) => {
  const cases: [string, unknown][] = [
    ['URL-encoded as IAM returns it', encodeURIComponent(JSON.stringify(doc))],
    ['statements in another order', { ...doc, Statement: [...doc.Statement].reverse() }],
    ['a one-element array instead of a string', { ...doc, Statement: [doc.Statement[0], { ...doc.Statement[1], Action: ['sts:AssumeRole'], Principal: { Service: ['eks.amazonaws.com'] } }] }],
    ['actions in another order', { ...doc, Statement: [{ ...doc.Statement[0], Action: ['s3:ListBucket', 's3:GetObject'] }, doc.Statement[1]] }],
  ];
  for (const [reason, other] of cases) t.ok(policiesEqual(doc, other as never), reason);
});

t.test('real differences do not compare equal', async (t) => {
  t.notOk(policiesEqual(doc, { ...doc, Statement: [doc.Statement[0]!] }), 'a statement removed');
  t.notOk(policiesEqual(serviceTrust('eks.amazonaws.com'), serviceTrust('ec2.amazonaws.com')), 'another service principal');
  t.notOk(policiesEqual(irsaTrust('arn:p', 'https://oidc/id/A', 'kube-system', 'aws-node'), irsaTrust('arn:p', 'https://oidc/id/A', 'default', 'aws-node')), 'another namespace');
});

t.test('the IRSA trust policy is exact', async (t) => {
  t.same(normalisePolicy(irsaTrust('arn:aws:iam::1:oidc-provider/oidc.eks.r.amazonaws.com/id/X', 'https://oidc.eks.r.amazonaws.com/id/X', 'ns', 'sa')).Statement, [{
    Effect: 'Allow', Principal: { Federated: ['arn:aws:iam::1:oidc-provider/oidc.eks.r.amazonaws.com/id/X'] }, Action: ['sts:AssumeRoleWithWebIdentity'],
    Condition: { StringEquals: { 'oidc.eks.r.amazonaws.com/id/X:aud': ['sts.amazonaws.com'], 'oidc.eks.r.amazonaws.com/id/X:sub': ['system:serviceaccount:ns:sa'] } },
  }]);
});
