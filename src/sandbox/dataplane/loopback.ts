// Loopback addresses a sandbox process claims for its ALBs and pods. Every address in 127.0.0.0/8
// reaches the local host (RFC 1122 §3.2.1.3; Linux routes the whole /8 to `lo`), so each emulated
// ALB and pod gets an address of its own and listens on its real port (443, the container port).
// NOTE(isolation): addresses are picked at random and claimed by binding, never assumed free, so
// two sandboxes on one machine (or a sandbox beside anything else on loopback) never share one:
// a process whose address is taken answers EADDRINUSE and the next random address is tried.

/** Errors that mean "this address:port is someone else's": try another address. */
const TAKEN = new Set(['EADDRINUSE']);

function errorCode(err: unknown): string | undefined {
  return typeof err === 'object' && err !== null && 'code' in err ? String((err as { code: unknown }).code) : undefined;
}

export class LoopbackAddresses {
  private readonly used = new Set<string>();

  constructor(private readonly random: () => number = Math.random, private readonly attempts = 32) {}

  /**
   * Binds on fresh random loopback addresses until `bind` succeeds, and returns that address with
   * what `bind` returned. An address already in use elsewhere is skipped; any other error (e.g.
   * EACCES for a privileged port) is thrown at once, since another address would not help.
   */
  async claim<T>(bind: (ip: string) => Promise<T>): Promise<{ ip: string; bound: T }> {
    let lastError: unknown;
    for (let i = 0; i < this.attempts; i++) {
      const ip = this.pick();
      try {
        const bound = await bind(ip);
        return { ip, bound };
      } catch (err) {
        if (!TAKEN.has(errorCode(err) ?? '') && !/EADDRINUSE/.test(String(err))) throw err;
        this.used.delete(ip);
        lastError = err;
      }
    }
    throw lastError;
  }

  /** Gives an address back (its listener closed). */
  release(ip: string): void {
    this.used.delete(ip);
  }

  /**
   * A random 127.a.b.c this process does not use yet. 127.0.0.0/16 is left alone: 127.0.0.1,
   * 127.0.1.1 (Debian's hostname entry) and 127.0.0.53 (systemd-resolved) live there.
   */
  private pick(): string {
    for (;;) {
      const octet = (lo: number, hi: number) => lo + Math.floor(this.random() * (hi - lo + 1));
      const ip = `127.${octet(1, 254)}.${octet(0, 255)}.${octet(1, 254)}`;
      if (!this.used.has(ip)) {
        this.used.add(ip);
        return ip;
      }
    }
  }
}
