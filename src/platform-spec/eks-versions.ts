// The Kubernetes versions EKS offers and until when: its release calendar, as the product reads it.
// Source: "Amazon EKS Kubernetes release calendar", https://docs.aws.amazon.com/eks/latest/userguide/kubernetes-versions.html
// (end of standard / end of extended support, UTC), cross-checked against endoflife.date's
// products/amazon-eks.md, which scrapes that table. A minor version is in standard support for 14
// months after its EKS release, then in extended support for 12 more; past that EKS no longer
// creates clusters on it. The sandbox keeps its own copy (product code never imports it).
// The 1.35 and 1.36 release days are end of standard support minus 14 months (the published
// table lists them by month); they only matter before that day.
// NOTE(calendar): update this table when EKS publishes a new version; today's date decides.

export interface EksVersionDates {
  version: string;
  /** Amazon EKS release (UTC). */
  released: string;
  /** First day no longer in standard support (UTC). */
  endOfStandard: string;
  /** First day no longer offered at all (UTC). */
  endOfExtended: string;
}

export const EKS_CALENDAR: readonly EksVersionDates[] = [
  { version: '1.36', released: '2026-06-02', endOfStandard: '2027-08-02', endOfExtended: '2028-08-02' },
  { version: '1.35', released: '2026-01-27', endOfStandard: '2027-03-27', endOfExtended: '2028-03-27' },
  { version: '1.34', released: '2025-10-02', endOfStandard: '2026-12-02', endOfExtended: '2027-12-02' },
  { version: '1.33', released: '2025-05-29', endOfStandard: '2026-07-29', endOfExtended: '2027-07-29' },
  { version: '1.32', released: '2025-01-23', endOfStandard: '2026-03-23', endOfExtended: '2027-03-23' },
  { version: '1.31', released: '2024-09-26', endOfStandard: '2025-11-26', endOfExtended: '2026-11-26' },
  { version: '1.30', released: '2024-05-23', endOfStandard: '2025-07-23', endOfExtended: '2026-07-23' },
  { version: '1.29', released: '2024-01-23', endOfStandard: '2025-03-23', endOfExtended: '2026-03-23' },
];

export type EksSupport =
  | { status: 'standard'; dates: EksVersionDates }
  | { status: 'extended'; dates: EksVersionDates }
  | { status: 'unavailable'; reason: string };

const day = (iso: string) => Date.parse(`${iso}T00:00:00Z`);

/** Where `version` stands in EKS's calendar on `today`. Pure. */
export function eksSupport(version: string, today: Date): EksSupport {
  const dates = EKS_CALENDAR.find((v) => v.version === version);
  const now = today.getTime();
  if (!dates) return { status: 'unavailable', reason: `EKS has no Kubernetes ${version} in its release calendar` };
  if (now < day(dates.released)) return { status: 'unavailable', reason: `EKS releases Kubernetes ${version} on ${dates.released}` };
  if (now < day(dates.endOfStandard)) return { status: 'standard', dates };
  if (now < day(dates.endOfExtended)) return { status: 'extended', dates };
  return { status: 'unavailable', reason: `EKS ended extended support for Kubernetes ${version} on ${dates.endOfExtended}` };
}

/** The versions in standard support on `today`, newest first (for hints). */
export function standardVersions(today: Date): string[] {
  return EKS_CALENDAR.filter((v) => eksSupport(v.version, today).status === 'standard').map((v) => v.version);
}
