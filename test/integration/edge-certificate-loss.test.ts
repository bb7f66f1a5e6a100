// The certificate behind platformd's back: ACM refuses to delete one a listener uses (as on AWS);
// if it is gone anyway (revoked, or removed from the listener and deleted), TLS to the domain
// fails, and the next apply requests a new one, validates it and puts it on the listener.
import '../helpers/grpc-env.js';
import t from 'tap';
import * as grpc from '@grpc/grpc-js';
import { DeleteCertificateCommand, ListCertificatesCommand } from '@aws-sdk/client-acm';
import { convergedPlatform } from '../helpers/platform.js';
import { applyPlatform } from '../../src/engine.js';

// ACM lists only RSA certificates unless asked for other key types; platformd's is EC P-256.
const ecCertificates = { Includes: { keyTypes: ['EC_prime256v1' as const] } };

t.test('a lost certificate breaks TLS; the next apply issues and attaches a new one', async (t) => {
  const { sb, opts, target, creds, load } = await convergedPlatform(t);
  const Greeter = load('helloworld/helloworld.proto').helloworld.Greeter;
  const call = () => {
    const client = new Greeter(target, creds);
    return new Promise<any>((resolve, reject) => client.sayHello({ name: 'tls' }, { deadline: Date.now() + 2000 }, (err: Error | null, res: unknown) => {
      client.close();
      return err ? reject(err) : resolve(res);
    }));
  };
  t.same(await call(), { message: 'Hello tls' });

  const arn = (await sb.clients.acm.send(new ListCertificatesCommand(ecCertificates))).CertificateSummaryList![0]!.CertificateArn!;
  await t.rejects(sb.clients.acm.send(new DeleteCertificateCommand({ CertificateArn: arn })), { name: 'ResourceInUseException' }, 'in use: ACM refuses');
  sb.acm.certificates.delete(arn); // gone anyway (as if detached and deleted, or revoked)
  await t.rejects(call(), { code: grpc.status.UNAVAILABLE }, 'no certificate: the TLS handshake fails');

  const result = await applyPlatform(opts);
  t.ok(result.ok, JSON.stringify(result.failed));
  t.ok(result.applied.includes('edge/certificate'), 'a new certificate was requested');
  const now = (await sb.clients.acm.send(new ListCertificatesCommand(ecCertificates))).CertificateSummaryList!;
  t.equal(now.length, 1);
  t.not(now[0]!.CertificateArn, arn);
  await sb.dataplane.idle();
  t.same(await call(), { message: 'Hello tls' }, 'TLS works again with the new certificate');
});
