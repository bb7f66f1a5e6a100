// The daemon's scheduling decisions: a burst of triggers during one reconcile becomes one pending
// trigger that keeps what its strongest member asked for, and failures back off exponentially up
// to a cap (no jitter: one daemon per platform holds the lease, so there is no herd to spread).
import t from 'tap';
import { coalesceTrigger, FORCING, retryDelayMs, type Trigger } from '../../../src/daemon-schedule.js';

/** What a burst leaves pending, folded the way Daemon.trigger() folds it. */
const afterBurst = (burst: Trigger[], pending?: Trigger): Trigger | undefined =>
  burst.reduce<Trigger | undefined>((p, incoming) => coalesceTrigger(p, incoming), pending);

const bursts: { reason: string; burst: Trigger[]; pending?: Trigger; want: Trigger }[] = [
  { reason: 'a lone trigger is pending as it came', burst: ['webhook'], want: 'webhook' },
  { reason: 'a hundred polls become one poll', burst: Array.from({ length: 100 }, (): Trigger => 'poll'), want: 'poll' },
  { reason: 'polls and webhooks keep the first: both skip an unmoved HEAD alike', burst: ['poll', 'webhook', 'poll'], want: 'poll' },
  { reason: 'a manual reconcile amid polls wins, so it is not skipped when HEAD has not moved', burst: ['poll', 'webhook', 'manual', 'poll'], want: 'manual' },
  { reason: 'a resync arriving after a webhook upgrades it', burst: ['resync'], pending: 'webhook', want: 'resync' },
  { reason: 'a forcing trigger already pending is never downgraded by later polls', burst: ['poll', 'webhook'], pending: 'retry', want: 'retry' },
  { reason: 'between forcing triggers the first stays', burst: ['manual', 'resync'], pending: 'retry', want: 'retry' },
];
for (const c of bursts) {
  t.test(c.reason, async (t) => {
    t.equal(afterBurst(c.burst, c.pending), c.want);
  });
}

t.test('whatever the burst, a forcing member leaves a forcing trigger pending', async (t) => {
  const all: Trigger[] = ['start', 'poll', 'webhook', 'resync', 'manual', 'retry'];
  for (const first of all) {
    for (const second of all) {
      for (const third of all) {
        const burst = [first, second, third];
        const pending = afterBurst(burst)!;
        t.ok(burst.includes(pending), `${burst.join(',')} → ${pending} is one of the burst`, { diagnostic: false });
        t.equal(FORCING.includes(pending), burst.some((b) => FORCING.includes(b)), `${burst.join(',')} → ${pending} forces as the burst asked`, { diagnostic: false });
      }
    }
  }
});

t.test('the delay doubles per consecutive failure from the base', async (t) => {
  t.same([0, 1, 2, 3, 4].map((n) => retryDelayMs(n, 5_000, 300_000)), [5_000, 10_000, 20_000, 40_000, 80_000]);
});

t.test('the delay stops at the cap and stays there', async (t) => {
  t.equal(retryDelayMs(6, 5_000, 300_000), 300_000, '5 s · 64 = 320 s is capped at 300 s');
  t.equal(retryDelayMs(50, 5_000, 300_000), 300_000, 'long failure streaks stay at the cap');
  t.equal(retryDelayMs(2_000, 5_000, 300_000), 300_000, '2^2000 overflows to Infinity, still capped');
});

t.test('a cap below the base wins', async (t) => {
  t.equal(retryDelayMs(0, 5_000, 1_000), 1_000);
});

t.test('the delay never decreases as failures accumulate', async (t) => {
  let previous = 0;
  for (let n = 0; n < 40; n++) {
    const delay = retryDelayMs(n, 250, 60_000);
    t.ok(delay >= previous && delay <= 60_000, `failure ${n}: ${delay} ms`, { diagnostic: false });
    previous = delay;
  }
});
