// Poll until `found` returns something (not undefined); the deadline only bounds a hang. Unlike
// cli.ts's `eventually`, a falsy value (0, false, '') counts as found and errors are not swallowed.
export async function until<T>(what: string, found: () => Promise<T | undefined>, deadlineMs = 120_000): Promise<T> {
  const end = Date.now() + deadlineMs;
  for (;;) {
    const v = await found();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
