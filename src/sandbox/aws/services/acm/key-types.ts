// Key algorithms and ListCertificates' `Includes` filters, as ACM applies them.
//
// Sources:
// - ListCertificates: "Default filtering returns only RSA_2048 certificates."
//   https://docs.aws.amazon.com/acm/latest/APIReference/API_ListCertificates.html
// - Filters.keyTypes: "Default filtering returns only RSA_1024 and RSA_2048 certificates that have
//   at least one domain. To return other certificate types, provide the desired type signatures";
//   valid values of every member (keyTypes, keyUsage, extendedKeyUsage, exportOption, managedBy).
//   https://docs.aws.amazon.com/acm/latest/APIReference/API_Filters.html
// - RequestCertificate.KeyAlgorithm: "Default: RSA_2048"; RSA_2048, EC_prime256v1 and EC_secp384r1
//   can be requested, "other listed algorithms are for imported certificates only".
//   https://docs.aws.amazon.com/acm/latest/APIReference/API_RequestCertificate.html
//   Real ACM answers the others with `ValidationException: Encryption Algorithm RSA_4096 is not
//   supported in <region> region` (observed against us-east-1, floci-io/floci#3027).
import { ServiceError } from '../../service.js';

export const KEY_ALGORITHMS = ['RSA_1024', 'RSA_2048', 'RSA_3072', 'RSA_4096', 'EC_prime256v1', 'EC_secp384r1', 'EC_secp521r1'] as const;
export type KeyAlgorithm = (typeof KEY_ALGORITHMS)[number];

/** What RequestCertificate issues; the rest of KEY_ALGORITHMS exists for imported certificates. */
export const REQUESTABLE_KEY_ALGORITHMS = ['RSA_2048', 'EC_prime256v1', 'EC_secp384r1'] as const satisfies readonly KeyAlgorithm[];
export type RequestableKeyAlgorithm = (typeof REQUESTABLE_KEY_ALGORITHMS)[number];
export const DEFAULT_KEY_ALGORITHM: RequestableKeyAlgorithm = 'RSA_2048';
/** The key types ListCertificates returns when `Includes.keyTypes` is not given. */
export const DEFAULT_LISTED_KEY_TYPES: readonly KeyAlgorithm[] = ['RSA_1024', 'RSA_2048'];

const KEY_USAGES = ['DIGITAL_SIGNATURE', 'NON_REPUDIATION', 'KEY_ENCIPHERMENT', 'DATA_ENCIPHERMENT', 'KEY_AGREEMENT', 'CERTIFICATE_SIGNING', 'CRL_SIGNING',
  'ENCIPHER_ONLY', 'DECIPHER_ONLY', 'ANY', 'CUSTOM'] as const;
const EXTENDED_KEY_USAGES = ['TLS_WEB_SERVER_AUTHENTICATION', 'TLS_WEB_CLIENT_AUTHENTICATION', 'CODE_SIGNING', 'EMAIL_PROTECTION', 'TIME_STAMPING', 'OCSP_SIGNING',
  'IPSEC_END_SYSTEM', 'IPSEC_TUNNEL', 'IPSEC_USER', 'ANY', 'NONE', 'CUSTOM'] as const;
const EXPORT_OPTIONS = ['ENABLED', 'DISABLED'] as const;
const MANAGED_BY = ['CLOUDFRONT'] as const;

/** The facts about one certificate that ListCertificates can filter on. */
export interface FilterableCertificate {
  keyAlgorithm: KeyAlgorithm;
  keyUsages: string[];
  extendedKeyUsages: string[];
  exportOption: 'ENABLED' | 'DISABLED';
  managedBy?: string;
}

/** `Includes` after validation; absent members do not filter (except keyTypes, which has a default). */
export interface CertificateFilters {
  keyTypes: readonly string[];
  keyUsage?: string[];
  extendedKeyUsage?: string[];
  exportOption?: string;
  managedBy?: string;
}

function enumError(value: unknown, member: string, allowed: readonly string[]): ServiceError {
  // The awsJson services' constraint message shape (as elbv2/input.ts quotes for the query protocol).
  return new ServiceError('ValidationException',
    `1 validation error detected: Value '${JSON.stringify(value)}' at '${member}' failed to satisfy constraint: Member must satisfy enum value set: [${allowed.join(', ')}]`, 400);
}

function enumList(value: unknown, member: string, allowed: readonly string[]): string[] | undefined {
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value) || value.some((v) => !allowed.includes(String(v)))) throw enumError(value, member, allowed);
  return value.map(String);
}

function enumValue(value: unknown, member: string, allowed: readonly string[]): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (!allowed.includes(String(value))) throw enumError(value, member, allowed);
  return String(value);
}

/** Validates ListCertificates' `Includes`; a value outside a member's enum is a ValidationException. */
export function parseIncludes(includes: Record<string, unknown> | undefined): CertificateFilters {
  const keyTypes = enumList(includes?.keyTypes, 'includes.keyTypes', KEY_ALGORITHMS);
  return {
    // NOTE(key-types): an empty keyTypes list is treated as absent (the default filter); the
    // reference does not say otherwise.
    keyTypes: keyTypes && keyTypes.length > 0 ? keyTypes : DEFAULT_LISTED_KEY_TYPES,
    keyUsage: enumList(includes?.keyUsage, 'includes.keyUsage', KEY_USAGES),
    extendedKeyUsage: enumList(includes?.extendedKeyUsage, 'includes.extendedKeyUsage', EXTENDED_KEY_USAGES),
    exportOption: enumValue(includes?.exportOption, 'includes.exportOption', EXPORT_OPTIONS),
    managedBy: enumValue(includes?.managedBy, 'includes.managedBy', MANAGED_BY),
  };
}

/**
 * Whether a certificate passes the filters. NOTE(usages): for keyUsage and extendedKeyUsage the
 * reference does not say whether a certificate must carry every listed usage or one of them; the
 * emulator lists it when it carries at least one (as keyTypes lists any of the given types).
 */
export function matchesFilters(c: FilterableCertificate, f: CertificateFilters): boolean {
  if (!f.keyTypes.includes(c.keyAlgorithm)) return false;
  if (f.keyUsage && !f.keyUsage.some((u) => c.keyUsages.includes(u))) return false;
  if (f.extendedKeyUsage && !f.extendedKeyUsage.some((u) => c.extendedKeyUsages.includes(u))) return false;
  if (f.exportOption && f.exportOption !== c.exportOption) return false;
  if (f.managedBy && f.managedBy !== c.managedBy) return false;
  return true;
}

/** RequestCertificate's KeyAlgorithm: RSA_2048 when absent; imported-only algorithms are refused. */
export function requestedKeyAlgorithm(value: unknown, region: string): RequestableKeyAlgorithm {
  if (value === undefined || value === null) return DEFAULT_KEY_ALGORITHM;
  const algorithm = enumValue(value, 'keyAlgorithm', KEY_ALGORITHMS);
  const requestable = REQUESTABLE_KEY_ALGORITHMS.find((a) => a === algorithm);
  if (!requestable) throw new ServiceError('ValidationException', `Encryption Algorithm ${algorithm} is not supported in ${region} region`, 400);
  return requestable;
}
