// The sandbox's certificate authority: one CA per world that signs the emulated Kubernetes API
// servers' certificates and the certificates ACM "issues", so clients that trust it get real TLS.
import { webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';

x509.cryptoProvider.set(webcrypto as any);
type CryptoKeyPair = webcrypto.CryptoKeyPair;
const ALG = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;

/** Key types a leaf certificate can have (ACM's names for the ones ACM issues). */
export type LeafKeyType = 'RSA_2048' | 'EC_prime256v1' | 'EC_secp384r1';
const LEAF_KEYS: Record<LeafKeyType, webcrypto.RsaHashedKeyGenParams | webcrypto.EcKeyGenParams> = {
  RSA_2048: { name: 'RSASSA-PKCS1-v1_5', modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' },
  EC_prime256v1: { name: 'ECDSA', namedCurve: 'P-256' },
  EC_secp384r1: { name: 'ECDSA', namedCurve: 'P-384' },
};

export interface IssuedCertificate {
  certPem: string;
  keyPem: string;
  serial: string;
  notBefore: Date;
  notAfter: Date;
}

function pemKey(der: ArrayBuffer): string {
  return x509.PemConverter.encode(der, 'PRIVATE KEY');
}

function serial(): string {
  return Buffer.from(webcrypto.getRandomValues(new Uint8Array(12))).toString('hex').replace(/^[89a-f]/, '1');
}

export class SandboxCa {
  private constructor(readonly certPem: string, private readonly cert: x509.X509Certificate, private readonly keys: CryptoKeyPair) {}

  static async create(name = 'platformd sandbox CA'): Promise<SandboxCa> {
    const keys = (await webcrypto.subtle.generateKey(ALG, true, ['sign', 'verify'])) as CryptoKeyPair;
    const cert = await x509.X509CertificateGenerator.createSelfSigned({
      serialNumber: serial(), name: `CN=${name}`, notBefore: new Date(Date.now() - 60_000), notAfter: new Date(Date.now() + 365 * 86_400_000),
      signingAlgorithm: ALG, keys,
      extensions: [new x509.BasicConstraintsExtension(true, 0, true), new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true)],
    });
    return new SandboxCa(cert.toString('pem'), cert, keys);
  }

  /** A server certificate for DNS names and IPs, signed by this CA, with a key of the given type. */
  async issue(names: string[], ips: string[] = [], days = 395, keyType: LeafKeyType = 'EC_prime256v1'): Promise<IssuedCertificate> {
    const keys = (await webcrypto.subtle.generateKey(LEAF_KEYS[keyType], true, ['sign', 'verify'])) as CryptoKeyPair;
    const notBefore = new Date(Date.now() - 60_000);
    const notAfter = new Date(Date.now() + days * 86_400_000);
    const s = serial();
    const cert = await x509.X509CertificateGenerator.create({
      serialNumber: s, subject: `CN=${names[0] ?? ips[0]}`, issuer: this.cert.subject, notBefore, notAfter, signingAlgorithm: ALG,
      publicKey: keys.publicKey, signingKey: this.keys.privateKey,
      extensions: [
        new x509.BasicConstraintsExtension(false, undefined, true),
        new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment, true),
        new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
        new x509.SubjectAlternativeNameExtension([...names.map((value) => ({ type: 'dns' as const, value })), ...ips.map((value) => ({ type: 'ip' as const, value }))]),
      ],
    });
    const key = await webcrypto.subtle.exportKey('pkcs8', keys.privateKey);
    return { certPem: cert.toString('pem'), keyPem: pemKey(key), serial: s, notBefore, notAfter };
  }
}
