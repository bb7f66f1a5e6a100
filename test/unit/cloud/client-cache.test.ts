// The SDK client cache is bounded: specs posted with 600 different regions do not keep 600
// client sets alive (each costs memory for as long as the process runs).
import t from 'tap';
import { awsClients, cachedClientSets, MAX_CACHED_REGIONS, resetAwsClients } from '../../../src/cloud/aws.js';

t.test('client sets are bounded and the region in use stays cached', async (t) => {
  t.teardown(resetAwsClients);
  resetAwsClients();
  const home = awsClients({ region: 'ap-northeast-1' });
  let kept = true;
  for (let i = 0; i < 600; i++) {
    awsClients({ region: `xx-test-${i}` });
    kept &&= awsClients({ region: 'ap-northeast-1' }) === home; // the reconcile uses its region between posted plans
  }
  t.ok(kept, 'the region in force keeps its clients throughout');
  t.ok(cachedClientSets() <= MAX_CACHED_REGIONS, `${cachedClientSets()} client sets cached`);
});
