// IPv4 CIDR arithmetic for the network checks.

export interface Cidr {
  base: number;
  prefix: number;
}

/** Parse "10.0.0.0/16"; returns an error message instead when invalid. */
export function parseCidr(text: string): Cidr | string {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(text);
  if (!m) return `"${text}" is not an IPv4 CIDR block (e.g. 10.0.0.0/16)`;
  const octets = m.slice(1, 5).map(Number);
  if (octets.some((o) => o > 255)) return `"${text}" has an octet above 255`;
  const prefix = Number(m[5]);
  if (prefix > 32) return `"${text}" has a prefix length above 32`;
  const base = ((octets[0]! << 24) | (octets[1]! << 16) | (octets[2]! << 8) | octets[3]!) >>> 0;
  const mask = prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
  if ((base & ~mask) >>> 0 !== 0) {
    const n = (base & mask) >>> 0;
    return `"${text}" has host bits set (did you mean ${[n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.')}/${prefix}?)`;
  }
  return { base, prefix };
}

function range(c: Cidr): [number, number] {
  const size = 2 ** (32 - c.prefix);
  return [c.base, c.base + size - 1];
}

export function cidrContains(outer: Cidr, inner: Cidr): boolean {
  const [a0, a1] = range(outer);
  const [b0, b1] = range(inner);
  return b0 >= a0 && b1 <= a1;
}

export function cidrOverlaps(a: Cidr, b: Cidr): boolean {
  const [a0, a1] = range(a);
  const [b0, b1] = range(b);
  return a0 <= b1 && b0 <= a1;
}
