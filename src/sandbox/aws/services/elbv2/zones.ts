// The Route 53 hosted zone id that Application Load Balancers of each region report as
// CanonicalHostedZoneId (the zone an alias record must name). These are AWS's published,
// fixed values per region; a Route 53 alias to an ALB is only valid with the right one.

const ALB_ZONE_IDS: Record<string, string> = {
  'us-east-1': 'Z35SXDOTRQ7X7K',
  'us-east-2': 'Z3AADJGX6KTTL2',
  'us-west-1': 'Z368ELLRRE2KJ0',
  'us-west-2': 'Z1H1FL5HABSF5',
  'ca-central-1': 'ZQSVJUPU6J1EY',
  'eu-west-1': 'Z32O12XQLNTSW2',
  'eu-west-2': 'ZHURV8PSTC4K8',
  'eu-west-3': 'Z3Q77PNBQS71R4',
  'eu-central-1': 'Z215JYRZR1TBD5',
  'eu-north-1': 'Z23TAZ7LKNTTXT',
  'ap-northeast-1': 'Z14GRHDCWA56QT',
  'ap-northeast-2': 'ZWKZPGTI48KDX',
  'ap-southeast-1': 'Z1LMS91P8CMLE5',
  'ap-southeast-2': 'Z1GM3OXH4ZPM65',
  'ap-south-1': 'ZP97RAFLXTNZK',
  'sa-east-1': 'Z2P70J7HTTTPLU',
};

/**
 * The ALB canonical hosted zone id of a region. Regions missing from the table get a stable
 * made-up id (so the emulator still answers), clearly not one of AWS's.
 */
export function albCanonicalZoneId(region: string): string {
  const known = ALB_ZONE_IDS[region];
  if (known) return known;
  let h = 0;
  for (const c of region) h = (h * 31 + c.charCodeAt(0)) >>> 0;
  return `ZSANDBOX${h.toString(36).toUpperCase().padStart(7, '0')}`;
}
