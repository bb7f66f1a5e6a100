// acm/certificate: the domain's certificate, requested with DNS validation and an idempotency
// token derived from the platform and domain (a retried request returns the same certificate);
// an issued certificate we own is reused. Ready once ACM has published the validation records.
// acm/certificate-validation waits for ISSUED (after the records exist), like Terraform's
// aws_acm_certificate_validation.
//
// NOTE(key-type): ACM's ListCertificates returns only RSA certificates unless `Includes.keyTypes`
// names other types ("Default filtering returns only RSA_1024 and RSA_2048 certificates",
// https://docs.aws.amazon.com/acm/latest/APIReference/API_Filters.html). We request
// EC_prime256v1, so we list exactly that type: without it our own certificate is invisible and
// every run requests another one. A certificate of another key type is never ours to reuse, even
// when it carries our tags: its key type cannot change, so it is not the certificate the platform
// wants; and deleting it is not ours to decide either (it may be attached elsewhere, and a
// certificate deletion needs an opt-in). So it is left out of observation altogether — neither
// adopted nor pruned — and, as ACM's default listing is RSA, not listing it also saves two calls
// per RSA certificate in the account. Should one reach us anyway (an ACM or emulator that
// ignores the filter and omits KeyAlgorithm from the summary), its key type is part of the
// observed state and the plan shows it as a replacement, never as in sync.
import { createHash } from 'node:crypto';
import { DeleteCertificateCommand, DescribeCertificateCommand, ListTagsForCertificateCommand, paginateListCertificates, RequestCertificateCommand,
  type CertificateDetail, type CertificateSummary, type KeyAlgorithm, type Tag } from '@aws-sdk/client-acm';
import { isNotFound } from '../../cloud/aws-errors.js';
import { cachePerClient } from '../../cloud/lifetime-cache.js';
import { ownedId, ownershipTags, tagMap } from '../ownership.js';
import { defineKind, isOutputRef, type KindContext, type Observed } from '../kind.js';
import { appliedDigest, TAG_APPLIED_DIGEST, withOrigins } from '../applied-digest.js';

export interface CertificateProps { domain: string; alternativeNames: string[] }
interface CertState { domain: string; alternativeNames: string[]; keyAlgorithm: string }

/** The key type platformd requests (ECDSA P-256: smaller and faster than RSA; ALBs serve it). */
const KEY_ALGORITHM: KeyAlgorithm = 'EC_prime256v1';

/** What diff compares, as the applied-digest records it (SANs without the domain, sorted). */
const comparable = (p: CertificateProps) => ({ domain: p.domain, alternativeNames: [...p.alternativeNames].filter((s) => s !== p.domain).sort(), keyAlgorithm: KEY_ALGORITHM });

function toObserved(c: CertificateDetail, id: string): Observed<CertState> {
  const records = (c.DomainValidationOptions ?? []).filter((o) => o.ResourceRecord).map((o) => ({ name: o.ResourceRecord!.Name!, value: o.ResourceRecord!.Value! }));
  const unique = [...new Map(records.map((r) => [r.name, { name: r.name, type: 'CNAME', ttl: 300, values: [r.value] }])).values()];
  const want = (c.DomainValidationOptions ?? []).length;
  return { id, kind: certificateKind.kind, physicalId: c.CertificateArn!, owned: true, status: c.Status,
    state: { domain: c.DomainName!, alternativeNames: (c.SubjectAlternativeNames ?? []).filter((s) => s !== c.DomainName).sort(), keyAlgorithm: c.KeyAlgorithm ?? 'unknown' },
    outputs: { arn: c.CertificateArn, status: c.Status, validationRecords: unique, recordsComplete: records.length === want && want > 0 } };
}

/**
 * Per certificate ARN, across reconciles: its tags (platformd sets its ownership tags in the
 * request and never changes them; another party's certificate is never ours), and its details once
 * ISSUED (domain, names, key and validation records are fixed from then on; a later status —
 * expired, revoked — leaves the ISSUED listing this read asks for).
 */
const certificateTags = cachePerClient<Tag[]>(5_000);
const issuedDetails = cachePerClient<CertificateDetail>(1_000);

async function tagsOf(ctx: KindContext, arn: string): Promise<Tag[]> {
  const cache = certificateTags(ctx.aws.acm);
  let tags = cache.get(arn);
  if (!tags) {
    tags = (await ctx.aws.acm.send(new ListTagsForCertificateCommand({ CertificateArn: arn }))).Tags ?? [];
    cache.set(arn, tags);
  }
  return tags;
}

async function detailOf(ctx: KindContext, s: CertificateSummary): Promise<CertificateDetail> {
  const cache = issuedDetails(ctx.aws.acm);
  const known = cache.get(s.CertificateArn!);
  if (known && s.Status === 'ISSUED') return known;
  const detail = (await ctx.aws.acm.send(new DescribeCertificateCommand({ CertificateArn: s.CertificateArn }))).Certificate!;
  if (detail.Status === 'ISSUED') cache.set(s.CertificateArn!, detail);
  return detail;
}

/** The applied-digest tag recording `applied` (resources/applied-digest.ts), when it fits in a tag value. */
function digestTag(applied: object): Tag[] {
  const value = appliedDigest(applied);
  return value === undefined ? [] : [{ Key: TAG_APPLIED_DIGEST, Value: value }];
}

/** Every EC P-256 certificate summary of the account that is pending validation or issued. */
async function listCertificates(ctx: KindContext): Promise<CertificateSummary[]> {
  const out: CertificateSummary[] = [];
  const input = { CertificateStatuses: ['PENDING_VALIDATION' as const, 'ISSUED' as const], Includes: { keyTypes: [KEY_ALGORITHM] } };
  for await (const page of paginateListCertificates({ client: ctx.aws.acm }, input)) {
    // See NOTE(key-type) on a summary of another key type.
    out.push(...(page.CertificateSummaryList ?? []).filter((s) => s.KeyAlgorithm === undefined || s.KeyAlgorithm === KEY_ALGORITHM));
  }
  return out;
}

/**
 * This platform's certificates. ACM lists summaries (with DomainName) and keeps ownership in tags,
 * one call per certificate: only certificates of the spec's domains are looked at, so other
 * people's certificates cost nothing; every listed one when there is no domain to look for (a
 * teardown) or none of ours has the wanted domain yet (not requested yet, or the domain changed:
 * the old certificate must be seen to be replaced).
 */
async function observeCertificates(ctx: KindContext, domains: readonly string[]): Promise<Observed<CertState>[]> {
  const listed = await listCertificates(ctx);
  const owned = async (summaries: CertificateSummary[]) => {
    // One at a time: ACM's request rate is the account's, shared with everyone else's calls.
    const ids: { s: CertificateSummary; id: string; digest?: string }[] = [];
    for (const s of summaries) {
      const tags = await tagsOf(ctx, s.CertificateArn!);
      const id = ownedId(tags, ctx.platform);
      if (id) ids.push({ s, id, digest: tagMap(tags)[TAG_APPLIED_DIGEST] });
    }
    return ids;
  };
  let ours = await owned(listed.filter((s) => domains.includes(s.DomainName ?? '')));
  if (domains.length === 0 || domains.some((d) => !ours.some(({ s }) => s.DomainName === d))) ours = await owned(listed);
  return Promise.all(ours.map(async ({ s, id, digest }) => ({ ...toObserved(await detailOf(ctx, s), id), appliedDigest: digest })));
}

export const certificateKind = defineKind<CertificateProps, CertState>({
  kind: 'acm/certificate',
  deletionCategory: 'certificate',
  // ACM refuses to delete a certificate an ALB listener uses (ResourceInUseException): the
  // controller deletes that ALB only once the Ingress is gone.
  deleteAfter: ['kube/Ingress'],
  observeAll(ctx, desired) {
    // The validation kind reads the same certificates (after this kind): one read per run serves both.
    return ctx.memo('acm/certificate', () => observeCertificates(ctx, desired.map((d) => d.properties.domain)));
  },
  diff(desired, observed) {
    const fields = [];
    if (desired.domain !== observed.state.domain) fields.push({ path: 'domain', old: observed.state.domain, new: desired.domain });
    const sans = [...desired.alternativeNames].filter((s) => s !== desired.domain).sort();
    if (JSON.stringify(sans) !== JSON.stringify(observed.state.alternativeNames)) fields.push({ path: 'alternativeNames', old: observed.state.alternativeNames, new: sans });
    if (observed.state.keyAlgorithm !== KEY_ALGORITHM) fields.push({ path: 'keyAlgorithm', old: observed.state.keyAlgorithm, new: KEY_ALGORITHM });
    return withOrigins({ fields, replaces: fields.map((f) => f.path) }, comparable(desired), observed.appliedDigest);
  },
  async create(ctx, desired) {
    const p = desired.properties;
    // The key type is part of the token: a request for another key type is another certificate.
    const token = createHash('sha256').update(`${ctx.platform}|${p.domain}|${[...p.alternativeNames].sort().join(',')}|${KEY_ALGORITHM}`).digest('hex').slice(0, 32);
    const arn = (await ctx.aws.acm.send(new RequestCertificateCommand({
      DomainName: p.domain, SubjectAlternativeNames: [...new Set([p.domain, ...p.alternativeNames])], ValidationMethod: 'DNS', IdempotencyToken: token,
      // Every property goes in this one request: the record of them goes in its tags.
      Tags: [...ownershipTags(ctx.platform, desired.id), ...digestTag(comparable(p))], KeyAlgorithm: KEY_ALGORITHM,
    }))).CertificateArn!;
    return toObserved((await ctx.aws.acm.send(new DescribeCertificateCommand({ CertificateArn: arn }))).Certificate!, desired.id);
  },
  async update(_ctx, _desired, observed) {
    return observed;
  },
  async delete(ctx, observed) {
    try {
      await ctx.aws.acm.send(new DeleteCertificateCommand({ CertificateArn: observed.physicalId }));
    } catch (err) {
      // Still in use by an ALB that is going away: cloud/aws-errors.ts classifies that as busy.
      if (!isNotFound(err)) throw err;
    }
  },
  async refresh(ctx, observed) {
    try {
      return toObserved((await ctx.aws.acm.send(new DescribeCertificateCommand({ CertificateArn: observed.physicalId }))).Certificate!, observed.id);
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw err;
    }
  },
  ready(observed) {
    if (observed.status === 'FAILED') return { failed: 'ACM could not issue the certificate' };
    return observed.outputs.recordsComplete ? true : { waiting: 'ACM has not published the validation records yet' };
  },
});

export interface CertificateValidationProps { arn: string }

/** Waits until the certificate is ISSUED; its `arn` output is what listeners may use. */
export const certificateValidationKind = defineKind<CertificateValidationProps, { arn: string }>({
  kind: 'acm/certificate-validation',
  // Terraform waits up to 75 minutes for DNS validation.
  readyTimeoutMs: 75 * 60_000,
  observeAfter: ['acm/certificate'],
  async observeAll(ctx, desired) {
    // Observed through the certificates themselves (the arn is an output not resolved yet here).
    const certs = await certificateKind.observeAll(ctx, []);
    const out: Observed<{ arn: string }>[] = [];
    for (const d of desired) {
      const certId = isOutputRef(d.properties.arn) ? d.properties.arn.$ref : undefined;
      const c = certs.find((x) => x.id === certId || x.physicalId === d.properties.arn);
      if (c?.status === 'ISSUED') out.push({ id: d.id, kind: this.kind, physicalId: c.physicalId, owned: false, status: c.status, state: { arn: c.physicalId }, outputs: { arn: c.physicalId } });
    }
    return out;
  },
  diff(desired, observed) {
    return desired.arn === observed.state.arn ? { fields: [], replaces: [] } : { fields: [{ path: 'arn', old: observed.state.arn, new: desired.arn }], replaces: [] };
  },
  async create(ctx, desired) {
    const c = (await ctx.aws.acm.send(new DescribeCertificateCommand({ CertificateArn: desired.properties.arn }))).Certificate!;
    return { id: desired.id, kind: this.kind, physicalId: c.CertificateArn!, owned: false, status: c.Status, state: { arn: c.CertificateArn! }, outputs: { arn: c.CertificateArn } };
  },
  update(ctx, desired) {
    return this.create(ctx, desired);
  },
  async delete() {},
  async refresh(ctx, observed) {
    return this.create(ctx, { id: observed.id, kind: this.kind, properties: { arn: observed.state.arn }, dependsOn: [] });
  },
  ready(observed) {
    if (observed.status === 'ISSUED') return true;
    if (observed.status === 'FAILED' || observed.status === 'VALIDATION_TIMED_OUT') return { failed: `certificate ${observed.status}` };
    return { waiting: 'waiting for DNS validation' };
  },
});
