// The certificate's diff: a certificate of another key type is never in sync with the one
// platformd requests (its key type cannot change, so it is a replacement).
import t from 'tap';
import { certificateKind } from '../../../../src/resources/edge/certificate.js';
import type { Observed } from '../../../../src/resources/kind.js';

const observed = (keyAlgorithm: string) => ({
  id: 'edge/certificate', kind: 'acm/certificate', physicalId: 'arn:aws:acm:ap-northeast-1:123456789012:certificate/abc', owned: true, status: 'ISSUED',
  state: { domain: 'grpc.example.com', alternativeNames: [], keyAlgorithm }, outputs: {},
}) as Observed<Parameters<typeof certificateKind.diff>[1]['state']>;
const desired = { domain: 'grpc.example.com', alternativeNames: ['grpc.example.com'] };

const cases = [
  { reason: 'the key type platformd requests is in sync', keyAlgorithm: 'EC_prime256v1', fields: [], replaces: [] },
  { reason: 'an RSA_2048 certificate is replaced, not taken as the desired one', keyAlgorithm: 'RSA_2048',
    fields: [{ path: 'keyAlgorithm', old: 'RSA_2048', new: 'EC_prime256v1' }], replaces: ['keyAlgorithm'] },
  { reason: 'a certificate whose key type ACM did not report is not assumed to be ours', keyAlgorithm: 'unknown',
    fields: [{ path: 'keyAlgorithm', old: 'unknown', new: 'EC_prime256v1' }], replaces: ['keyAlgorithm'] },
];

for (const c of cases) {
  t.test(c.reason, async (t) => {
    t.same(certificateKind.diff(desired, observed(c.keyAlgorithm)), { fields: c.fields, replaces: c.replaces });
  });
}
