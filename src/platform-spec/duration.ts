// Durations in the spec: "500ms", "30s", "1m", "1h", and sums such as "1m30s".
const UNIT_MS: Record<string, number> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000 };

/** Milliseconds of a duration string; throws on anything else. */
export function parseDuration(text: string): number {
  const re = /([0-9]+)(ms|s|m|h)/gy;
  let total = 0;
  let consumed = 0;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    total += Number(m[1]) * UNIT_MS[m[2]!]!;
    consumed = re.lastIndex;
  }
  if (text.length === 0 || consumed !== text.length) throw new Error(`"${text}" is not a duration (use e.g. 500ms, 30s, 1m, 1h30m)`);
  return total;
}
