// Where platformd's AWS calls go, decided here only. A platform lives in one region and its spec
// says which (`region`, required by the schema): every command that reads a spec, and the daemon,
// calls AWS there whatever AWS_REGION, AWS_DEFAULT_REGION or the profile say, so the same file in
// git never plans against another region because of the shell it runs in. `platformd token` has
// no spec: it takes --region (the kubeconfig writes it from the spec), then AWS_REGION, then
// AWS_DEFAULT_REGION, as the AWS CLI would. Credentials and endpoints always come from the SDK chain.

/** What the region is read from: a spec, or (without one) a flag and the environment. */
export type RegionSource = { spec: { region: string } } | { flag?: string; env: NodeJS.ProcessEnv };

/** The platform's region: the spec's; without a spec the flag, then AWS_REGION, then AWS_DEFAULT_REGION. */
export function platformRegion(source: { spec: { region: string } }): string;
export function platformRegion(source: RegionSource): string | undefined;
export function platformRegion(source: RegionSource): string | undefined {
  if ('spec' in source) return source.spec.region;
  // An empty variable counts as unset, as the SDK treats it.
  return source.flag || source.env.AWS_REGION || source.env.AWS_DEFAULT_REGION || undefined;
}
