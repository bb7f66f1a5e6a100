// backoffDelay's full jitter with an injected random: every delay lies in [0, min(max, base·2^n)],
// grows with the random draw, reaches the cap and never passes it, however many attempts.
import t from 'tap';
import { backoffDelay } from '../../../src/apply/retry.js';

const draws = [0, 1e-9, 0.25, 0.5, 0.999999, 1];

t.test('every draw lands within [0, the capped exponential]', async (t) => {
  for (let attempt = 0; attempt < 80; attempt++) {
    const ceiling = Math.min(20_000, 100 * 2 ** attempt);
    for (const r of draws) {
      const delay = backoffDelay(attempt, 100, 20_000, () => r);
      t.ok(Number.isInteger(delay) && delay >= 0 && delay <= ceiling, `attempt ${attempt}, draw ${r}: ${delay} ms ≤ ${ceiling}`, { diagnostic: false });
    }
  }
});

t.test('the bounds are reached: a zero draw retries at once, a full draw waits the ceiling', async (t) => {
  t.equal(backoffDelay(4, 100, 20_000, () => 0), 0);
  t.equal(backoffDelay(4, 100, 20_000, () => 1), 1_600);
  t.equal(backoffDelay(1_100, 100, 20_000, () => 1), 20_000, 'an overflowing exponent stays at the cap');
});

t.test('a larger draw never gives a shorter delay', async (t) => {
  const delays = draws.map((r) => backoffDelay(6, 100, 20_000, () => r));
  t.same(delays, [...delays].sort((a, b) => a - b));
});

t.test('the default random stays within the bounds too', async (t) => {
  for (let i = 0; i < 200; i++) {
    const delay = backoffDelay(3, 100, 20_000);
    if (delay < 0 || delay > 800) t.fail(`${delay} ms outside [0, 800]`);
  }
  t.pass('200 draws within [0, 800]');
});
