// Where platformd keeps its IAM entities: one path per platform, so one paged List finds them all,
// and names derived from logical ids both ways.
import { iamEntityId } from '../../graph/ids.js';

export function iamPath(platform: string): string {
  return `/platformd/${platform}/`;
}

/** Role/policy name for a logical id: iam/role/cluster → <platform>-cluster (IAM names ≤ 64 chars). */
export function iamName(platform: string, id: string): string {
  return `${platform}-${id.split('/').slice(2).join('-')}`.slice(0, 64);
}

/** The logical id an IAM name under our path stands for. */
export function idFromName(platform: string, kind: 'role' | 'policy', name: string): string {
  return iamEntityId(kind, name.slice(platform.length + 1));
}
