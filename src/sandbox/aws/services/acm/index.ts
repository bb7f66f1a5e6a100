// The emulated ACM (awsJson1_1, signing name acm): DNS-validated certificates. Validation records
// appear a little after the request (as on real ACM); once the CNAME exists in an emulated
// hosted zone the certificate turns ISSUED a little later — and is really issued by the sandbox
// CA, its private key kept for the emulated ALBs (never handed out, as on real ACM).
import { createHash, randomUUID } from 'node:crypto';
import { jsonCodec } from '../../protocol/json.js';
import type { ScaledClock } from '../../../clock.js';
import type { SandboxCa, IssuedCertificate } from '../../../ca.js';
import { ServiceError, type EmulatedService, type OperationHandler, type RequestContext } from '../../service.js';
import { matchesFilters, parseIncludes, requestedKeyAlgorithm, type FilterableCertificate, type KeyAlgorithm } from './key-types.js';

export interface Certificate {
  arn: string;
  domain: string;
  sans: string[];
  /** As requested (RSA_2048 by default); the issued key pair is of this type. */
  keyAlgorithm: KeyAlgorithm;
  status: 'PENDING_VALIDATION' | 'ISSUED' | 'FAILED';
  createdAt: Date;
  issuedAt?: Date;
  recordsAt: number;
  validatedAt?: number;
  issueAt?: number;
  tags: Map<string, string>;
  token?: string;
  tokenAt: number;
  issued: IssuedCertificate;
  inUseBy: string[];
}

const RECORDS_APPEAR_MS = 5_000;
const ISSUE_AFTER_VALIDATION_MS = 60_000;
// What the sandbox CA puts in every leaf certificate (ca.ts: KeyUsages, ExtendedKeyUsage serverAuth).
const KEY_USAGES = ['DIGITAL_SIGNATURE', 'KEY_ENCIPHERMENT'];
const EXTENDED_KEY_USAGES = ['TLS_WEB_SERVER_AUTHENTICATION'];

/** What ListCertificates filters on. Requested certificates here are never exportable nor CloudFront-managed. */
function filterable(c: Certificate): FilterableCertificate {
  return { keyAlgorithm: c.keyAlgorithm, keyUsages: KEY_USAGES, extendedKeyUsages: EXTENDED_KEY_USAGES, exportOption: 'DISABLED' };
}

/** The validation CNAME for a domain: stable per domain and account. */
function validationRecord(domain: string, accountId: string): { name: string; value: string } {
  const h = createHash('sha256').update(`${accountId}|${domain.replace(/^\*\./, '')}`).digest('hex');
  const base = domain.replace(/^\*\./, '');
  return { name: `_${h.slice(0, 32)}.${base}.`, value: `_${h.slice(32, 64)}.${h.slice(0, 10)}.acm-validations.aws.` };
}

export interface AcmHooks {
  /** Whether a CNAME with this name and value exists in an emulated hosted zone. */
  cnameExists?: (name: string, value: string) => boolean;
  /** ARNs of the load balancers whose listeners use the certificate (InUseBy). */
  inUseBy?: (certificateArn: string) => string[];
}

export class AcmService implements EmulatedService {
  readonly name = 'acm';
  readonly signingName = 'acm';
  readonly codec = jsonCodec('CertificateManager');
  readonly throttle = { code: 'ThrottlingException', status: 400, message: 'Rate exceeded' };
  readonly operations: Record<string, OperationHandler>;
  readonly hooks: AcmHooks = {};
  readonly certificates = new Map<string, Certificate>();

  constructor(private readonly options: { clock: ScaledClock; ca: SandboxCa }) {
    const clock = options.clock;
    const cert = (arn: unknown) => {
      const c = this.certificates.get(String(arn));
      if (!c) throw new ServiceError('ResourceNotFoundException', `Could not find certificate ${arn}.`, 400);
      this.settle(c);
      return c;
    };
    const dvo = (c: Certificate, ctx: RequestContext) => [c.domain, ...c.sans.filter((s) => s !== c.domain)].map((d) => ({
      DomainName: d, ValidationDomain: d, ValidationMethod: 'DNS', ValidationStatus: c.status === 'ISSUED' ? 'SUCCESS' : 'PENDING_VALIDATION',
      ...(clock.passed(c.recordsAt) ? { ResourceRecord: { Name: validationRecord(d, ctx.accountId).name, Type: 'CNAME', Value: validationRecord(d, ctx.accountId).value } } : {}),
    }));
    this.operations = {
      RequestCertificate: async (input, ctx) => {
        const token = input.IdempotencyToken as string | undefined;
        const prior = token ? [...this.certificates.values()].find((c) => c.token === token && Date.now() - c.tokenAt < 3_600_000) : undefined;
        if (prior) return { CertificateArn: prior.arn };
        if (input.ValidationMethod !== 'DNS') throw new ServiceError('InvalidParameterException', 'the sandbox issues DNS-validated certificates only', 400);
        const domain = String(input.DomainName);
        const sans: string[] = input.SubjectAlternativeNames ?? [domain];
        const keyAlgorithm = requestedKeyAlgorithm(input.KeyAlgorithm, ctx.region);
        const arn = `arn:aws:acm:${ctx.region}:${ctx.accountId}:certificate/${randomUUID()}`;
        const issued = await this.options.ca.issue([...new Set([domain, ...sans])], [], undefined, keyAlgorithm);
        this.certificates.set(arn, { arn, domain, sans: [...new Set([domain, ...sans])], keyAlgorithm, status: 'PENDING_VALIDATION', createdAt: new Date(), recordsAt: clock.deadline(RECORDS_APPEAR_MS),
          tags: new Map((input.Tags ?? []).map((t: { Key: string; Value?: string }) => [t.Key, t.Value ?? ''])), token, tokenAt: Date.now(), issued, inUseBy: [] });
        return { CertificateArn: arn };
      },
      DescribeCertificate: (input, ctx) => {
        const c = cert(input.CertificateArn);
        return { Certificate: {
          CertificateArn: c.arn, DomainName: c.domain, SubjectAlternativeNames: c.sans, DomainValidationOptions: dvo(c, ctx), Status: c.status, Type: 'AMAZON_ISSUED',
          InUseBy: this.hooks.inUseBy?.(c.arn) ?? c.inUseBy, CreatedAt: c.createdAt.getTime() / 1000, KeyAlgorithm: c.keyAlgorithm, RenewalEligibility: c.inUseBy.length ? 'ELIGIBLE' : 'INELIGIBLE',
          ...(c.status === 'ISSUED' ? { IssuedAt: c.issuedAt!.getTime() / 1000, NotBefore: c.issued.notBefore.getTime() / 1000, NotAfter: c.issued.notAfter.getTime() / 1000, Serial: c.issued.serial } : {}),
        } };
      },
      ListCertificates: (input) => {
        const all = [...this.certificates.values()];
        for (const c of all) this.settle(c);
        const statuses: string[] | undefined = input.CertificateStatuses;
        // Without Includes.keyTypes ACM lists RSA certificates only (key-types.ts has the sources).
        const filters = parseIncludes(input.Includes);
        const items = all.filter((c) => (!statuses || statuses.includes(c.status)) && matchesFilters(filterable(c), filters));
        const start = input.NextToken ? Number(input.NextToken) : 0;
        const max = input.MaxItems ?? 1000;
        const page = items.slice(start, start + max);
        return { CertificateSummaryList: page.map((c) => this.summary(c)), ...(start + max < items.length ? { NextToken: String(start + max) } : {}) };
      },
      ListTagsForCertificate: (input) => ({ Tags: [...cert(input.CertificateArn).tags].map(([Key, Value]) => ({ Key, Value })) }),
      AddTagsToCertificate: (input) => {
        const c = cert(input.CertificateArn);
        for (const t of input.Tags ?? []) c.tags.set(t.Key, t.Value ?? '');
        return {};
      },
      DeleteCertificate: (input) => {
        const c = cert(input.CertificateArn);
        c.inUseBy = this.hooks.inUseBy?.(c.arn) ?? c.inUseBy;
        if (c.inUseBy.length > 0) throw new ServiceError('ResourceInUseException', `Certificate ${c.arn} in use by ${c.inUseBy.join(', ')}`, 400);
        this.certificates.delete(c.arn);
        return {};
      },
    };
  }

  /** A CertificateSummary with the members ACM fills for an Amazon-issued certificate. */
  private summary(c: Certificate): Record<string, unknown> {
    const f = filterable(c);
    return {
      CertificateArn: c.arn, DomainName: c.domain, SubjectAlternativeNameSummaries: c.sans, HasAdditionalSubjectAlternativeNames: false, Status: c.status, Type: 'AMAZON_ISSUED',
      KeyAlgorithm: c.keyAlgorithm, KeyUsages: f.keyUsages, ExtendedKeyUsages: f.extendedKeyUsages, ExportOption: f.exportOption, Exported: false,
      InUse: (this.hooks.inUseBy?.(c.arn) ?? c.inUseBy).length > 0, CreatedAt: c.createdAt.getTime() / 1000,
      ...(c.status === 'ISSUED' ? { IssuedAt: c.issuedAt!.getTime() / 1000, NotBefore: c.issued.notBefore.getTime() / 1000, NotAfter: c.issued.notAfter.getTime() / 1000 } : {}),
    };
  }

  /** PENDING_VALIDATION → ISSUED a while after every validation CNAME exists in an emulated zone. */
  private settle(c: Certificate): void {
    const clock = this.options.clock;
    if (c.status !== 'PENDING_VALIDATION') return;
    const account = c.arn.split(':')[4]!;
    const all = c.sans.every((d) => {
      const r = validationRecord(d, account);
      return this.hooks.cnameExists?.(r.name, r.value) ?? false;
    });
    if (!all) {
      delete c.issueAt;
      return;
    }
    c.issueAt ??= clock.deadline(ISSUE_AFTER_VALIDATION_MS);
    if (clock.passed(c.issueAt)) {
      c.status = 'ISSUED';
      c.issuedAt = new Date();
    }
  }

  /** For the emulated ALBs: the issued certificate and key of an ARN (undefined unless ISSUED). */
  material(arn: string): IssuedCertificate | undefined {
    const c = this.certificates.get(arn);
    if (!c) return undefined;
    this.settle(c);
    return c.status === 'ISSUED' ? c.issued : undefined;
  }

  status(arn: string): string | undefined {
    const c = this.certificates.get(arn);
    if (c) this.settle(c);
    return c?.status;
  }

  reset(): void {
    this.certificates.clear();
  }
}
