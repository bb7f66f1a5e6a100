// The Kubernetes versions the emulated EKS offers, by date: EKS's release calendar
// (https://docs.aws.amazon.com/eks/latest/userguide/kubernetes-versions.html, "Amazon EKS Kubernetes
// release calendar", UTC dates; cross-checked with endoflife.date products/amazon-eks.md). Standard
// support lasts 14 months from the EKS release, extended support 12 more; after that CreateCluster
// refuses the version. On 2026-11-30: 1.36, 1.35, 1.34 standard; 1.33, 1.32 extended; 1.31 and
// older gone. The product keeps its own copy in src/platform-spec/eks-versions.ts (it never imports the sandbox).

interface VersionWindow { version: string; released: string; endOfStandard: string; endOfExtended: string }

const CALENDAR: VersionWindow[] = [
  { version: '1.36', released: '2026-06-02', endOfStandard: '2027-08-02', endOfExtended: '2028-08-02' },
  { version: '1.35', released: '2026-01-27', endOfStandard: '2027-03-27', endOfExtended: '2028-03-27' },
  { version: '1.34', released: '2025-10-02', endOfStandard: '2026-12-02', endOfExtended: '2027-12-02' },
  { version: '1.33', released: '2025-05-29', endOfStandard: '2026-07-29', endOfExtended: '2027-07-29' },
  { version: '1.32', released: '2025-01-23', endOfStandard: '2026-03-23', endOfExtended: '2027-03-23' },
  { version: '1.31', released: '2024-09-26', endOfStandard: '2025-11-26', endOfExtended: '2026-11-26' },
  { version: '1.30', released: '2024-05-23', endOfStandard: '2025-07-23', endOfExtended: '2026-07-23' },
];

const utc = (d: string) => Date.parse(`${d}T00:00:00Z`);

/** STANDARD_SUPPORT / EXTENDED_SUPPORT (DescribeClusterVersions' status), or undefined when EKS does not offer it at `nowMs`. */
export function versionStatus(version: string, nowMs: number): 'STANDARD_SUPPORT' | 'EXTENDED_SUPPORT' | undefined {
  const w = CALENDAR.find((v) => v.version === version);
  if (!w || nowMs < utc(w.released) || nowMs >= utc(w.endOfExtended)) return undefined;
  return nowMs < utc(w.endOfStandard) ? 'STANDARD_SUPPORT' : 'EXTENDED_SUPPORT';
}

/** Versions offered at `nowMs`, oldest first. */
export function offeredVersions(nowMs: number): string[] {
  return CALENDAR.filter((v) => versionStatus(v.version, nowMs) !== undefined).map((v) => v.version).reverse();
}

/** CreateCluster without a version: EKS picks its default, the newest but one in standard support. */
export function defaultVersion(nowMs: number): string {
  const standard = CALENDAR.filter((v) => versionStatus(v.version, nowMs) === 'STANDARD_SUPPORT').map((v) => v.version);
  return standard[1] ?? standard[0] ?? CALENDAR[0]!.version;
}
