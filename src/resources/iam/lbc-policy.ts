// The AWS Load Balancer Controller's permissions as a customer-managed policy, one document per
// controller version, each equal to that release's docs/install/iam_policy.json upstream
// (kubernetes-sigs/aws-load-balancer-controller; test/unit/resources/lbc-policy.test.ts compares
// them statement by statement). Upstream's own file is the fact: it carries the tag-on-create grants
// (AWS authorises tags given in a Create* call as ec2:CreateTags / elasticloadbalancing:AddTags with
// a CreateAction condition) and the guards that keep the controller off resources it did not tag.
// A version bump picks its own document, which becomes a new default policy version.
import type { PolicyDocument } from './policy-document.js';
import v3_5_0 from './lbc-policy/v3.5.0.json' with { type: 'json' };

const POLICIES: Readonly<Record<string, PolicyDocument>> = {
  'v3.5.0': v3_5_0 as PolicyDocument,
};

/** The controller versions platformd has a policy for (the schema's enum must match). */
export const LBC_POLICY_VERSIONS: readonly string[] = Object.keys(POLICIES);

export function loadBalancerControllerPolicy(version: string): PolicyDocument {
  const doc = POLICIES[version];
  if (!doc) throw new Error(`no IAM policy for AWS Load Balancer Controller ${version} in this platformd (known: ${LBC_POLICY_VERSIONS.join(', ')})`);
  // A copy: callers may hold or normalise it; the table stays as upstream wrote it.
  return structuredClone(doc);
}
