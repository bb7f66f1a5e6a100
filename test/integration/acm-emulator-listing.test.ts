// The emulated ACM lists certificates as ACM does: without Includes.keyTypes only RSA ones (the
// default filter), with it exactly the named key types; every certificate keeps the key type it
// was requested with (RSA_2048 when none is given), and its key pair really is of that type.
import t from 'tap';
import { X509Certificate } from 'node:crypto';
import { DescribeCertificateCommand, ListCertificatesCommand, RequestCertificateCommand, type KeyAlgorithm, type ListCertificatesCommandInput } from '@aws-sdk/client-acm';
import { startTestSandbox, type TestSandbox } from '../helpers/sandbox.js';

async function request(sb: TestSandbox, domain: string, keyAlgorithm?: KeyAlgorithm): Promise<string> {
  return (await sb.clients.acm.send(new RequestCertificateCommand({ DomainName: domain, ValidationMethod: 'DNS', ...(keyAlgorithm ? { KeyAlgorithm: keyAlgorithm } : {}) }))).CertificateArn!;
}

async function listed(sb: TestSandbox, input: ListCertificatesCommandInput = {}): Promise<{ arn: string; keyAlgorithm?: string }[]> {
  const list = (await sb.clients.acm.send(new ListCertificatesCommand(input))).CertificateSummaryList ?? [];
  return list.map((s) => ({ arn: s.CertificateArn!, keyAlgorithm: s.KeyAlgorithm }));
}

t.test('ListCertificates applies the default key-type filter and honours Includes', async (t) => {
  const sb = await startTestSandbox();
  t.teardown(sb.close);
  const rsa = await request(sb, 'rsa.example.com');
  const p256 = await request(sb, 'p256.example.com', 'EC_prime256v1');
  const p384 = await request(sb, 'p384.example.com', 'EC_secp384r1');

  const keyOf = async (arn: string) => (await sb.clients.acm.send(new DescribeCertificateCommand({ CertificateArn: arn }))).Certificate!.KeyAlgorithm;
  t.same([await keyOf(rsa), await keyOf(p256), await keyOf(p384)], ['RSA_2048', 'EC_prime256v1', 'EC_secp384r1'], 'each keeps the key type requested (RSA_2048 by default)');

  t.same(await listed(sb), [{ arn: rsa, keyAlgorithm: 'RSA_2048' }], 'without Includes: only the RSA_2048 certificate, with its KeyAlgorithm');
  t.same(await listed(sb, { CertificateStatuses: ['PENDING_VALIDATION'] }), [{ arn: rsa, keyAlgorithm: 'RSA_2048' }], 'a status filter alone keeps the default key-type filter');
  t.same(await listed(sb, { Includes: { keyTypes: ['EC_prime256v1'] } }), [{ arn: p256, keyAlgorithm: 'EC_prime256v1' }], 'keyTypes [EC_prime256v1]: exactly that one');
  t.same((await listed(sb, { Includes: { keyTypes: ['RSA_2048', 'EC_prime256v1', 'EC_secp384r1'] } })).map((c) => c.arn), [rsa, p256, p384], 'all three when all are named');
  t.same(await listed(sb, { Includes: { keyTypes: ['RSA_4096'] } }), [], 'a key type nobody has: nothing');

  const all = { keyTypes: ['RSA_2048', 'EC_prime256v1', 'EC_secp384r1'] as KeyAlgorithm[] };
  t.same(await listed(sb, { Includes: { ...all, exportOption: 'ENABLED' } }), [], 'requested certificates are not exportable');
  t.equal((await listed(sb, { Includes: { ...all, exportOption: 'DISABLED' } })).length, 3);
  t.same(await listed(sb, { Includes: { ...all, managedBy: 'CLOUDFRONT' } }), [], 'none is managed by CloudFront');
  t.equal((await listed(sb, { Includes: { ...all, extendedKeyUsage: ['TLS_WEB_SERVER_AUTHENTICATION'] } })).length, 3, 'server certificates');
  t.same(await listed(sb, { Includes: { ...all, extendedKeyUsage: ['CODE_SIGNING'] } }), [], 'no code-signing certificate');

  const page = await sb.clients.acm.send(new ListCertificatesCommand({ Includes: all, MaxItems: 2 }));
  t.equal(page.CertificateSummaryList?.length, 2);
  const rest = await sb.clients.acm.send(new ListCertificatesCommand({ Includes: all, MaxItems: 2, NextToken: page.NextToken }));
  t.same(rest.CertificateSummaryList?.map((s) => s.CertificateArn), [p384], 'paging works over the filtered list');
});

t.test('RequestCertificate refuses key types ACM issues only for imports; Includes values are validated', async (t) => {
  const sb = await startTestSandbox();
  t.teardown(sb.close);
  await t.rejects(request(sb, 'big.example.com', 'RSA_4096'), { name: 'ValidationException', message: /Encryption Algorithm RSA_4096 is not supported/ });
  await t.rejects(request(sb, 'big.example.com', 'EC_secp521r1'), { name: 'ValidationException' });
  await t.rejects(request(sb, 'big.example.com', 'DSA_1024' as KeyAlgorithm), { name: 'ValidationException' }, 'outside the enum');
  await t.rejects(sb.clients.acm.send(new ListCertificatesCommand({ Includes: { keyTypes: ['RSA_9' as KeyAlgorithm] } })), { name: 'ValidationException', message: /includes\.keyTypes/ });
  t.equal(sb.acm.certificates.size, 0, 'nothing was issued');
});

t.test('the issued key pair is of the requested type (what the emulated ALB serves)', async (t) => {
  const sb = await startTestSandbox();
  t.teardown(sb.close);
  const keyType = (arn: string) => new X509Certificate(sb.acm.certificates.get(arn)!.issued.certPem).publicKey.asymmetricKeyType;
  const details = (arn: string) => new X509Certificate(sb.acm.certificates.get(arn)!.issued.certPem).publicKey.asymmetricKeyDetails;
  const rsa = await request(sb, 'rsa.example.com');
  const p384 = await request(sb, 'p384.example.com', 'EC_secp384r1');
  t.equal(keyType(rsa), 'rsa');
  t.equal(details(rsa)?.modulusLength, 2048);
  t.equal(keyType(p384), 'ec');
  t.equal(details(p384)?.namedCurve, 'secp384r1');
});
