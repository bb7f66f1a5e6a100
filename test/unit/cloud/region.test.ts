// One story for the region: the spec's, always; without a spec (platformd token) the flag, then
// AWS_REGION, then AWS_DEFAULT_REGION.
import t from 'tap';
import { platformRegion } from '../../../src/cloud/region.js';

t.test('the region', async (t) => {
  const env = { AWS_REGION: 'us-east-1', AWS_DEFAULT_REGION: 'us-west-2' };
  const cases: [string, Parameters<typeof platformRegion>[0], string | undefined][] = [
    ['a spec names its region, whatever the environment says', { spec: { region: 'ap-northeast-1' } }, 'ap-northeast-1'],
    ['without a spec the flag wins', { flag: 'eu-west-1', env }, 'eu-west-1'],
    ['then AWS_REGION', { env }, 'us-east-1'],
    ['then AWS_DEFAULT_REGION', { env: { AWS_DEFAULT_REGION: 'us-west-2' } }, 'us-west-2'],
    ['an empty variable counts as unset', { flag: '', env: { AWS_REGION: '', AWS_DEFAULT_REGION: 'us-west-2' } }, 'us-west-2'],
    ['nothing: no region', { env: {} }, undefined],
  ];
  for (const [reason, source, region] of cases) t.equal(platformRegion(source), region, reason);
});
