/**
 * The URL guard: may Refrain (or a provider on its behalf) be pointed at this URL?
 * Pure: DNS comes in through an injected resolver, so the rules are tested with literal
 * addresses and a fake resolver, and nothing here ever opens a socket.
 *
 * Allowed: https to a public address. With `allowLoopback` (development, tests), http or
 * https to loopback (127.0.0.0/8, ::1, localhost) too. Everything else is refused: other
 * schemes, credentials in the URL, private, link-local, CGNAT, metadata, unspecified,
 * multicast and reserved ranges — for the literal host and for every address it resolves to.
 */

export type AddressClass =
  | 'public'
  | 'loopback'
  | 'private'
  | 'link-local'
  | 'cgnat'
  | 'metadata'
  | 'unspecified'
  | 'multicast'
  | 'reserved';

/** host → its addresses (IPv4 or IPv6 text). Production passes `dns.lookup(host, {all: true})`. */
export type HostResolver = (host: string) => Promise<string[]>;

export interface UrlGuardOptions {
  allowLoopback?: boolean;
  /** Without one, a host name is judged by its name only (see `checkUrlLiteral`). */
  resolve?: HostResolver;
}

export type UrlVerdict = { allowed: true; url: URL } | { allowed: false; reason: string };

interface Range {
  base: bigint;
  bits: number;
  cls: AddressClass;
}

const V4_RANGES: [string, number, AddressClass][] = [
  ['169.254.169.254', 32, 'metadata'],
  ['0.0.0.0', 8, 'unspecified'],
  ['127.0.0.0', 8, 'loopback'],
  ['10.0.0.0', 8, 'private'],
  ['172.16.0.0', 12, 'private'],
  ['192.168.0.0', 16, 'private'],
  ['169.254.0.0', 16, 'link-local'],
  ['100.64.0.0', 10, 'cgnat'],
  ['224.0.0.0', 4, 'multicast'],
  ['192.0.0.0', 24, 'reserved'],
  ['192.0.2.0', 24, 'reserved'],
  ['198.18.0.0', 15, 'reserved'],
  ['198.51.100.0', 24, 'reserved'],
  ['203.0.113.0', 24, 'reserved'],
  ['240.0.0.0', 4, 'reserved'],
];

const V6_RANGES: [string, number, AddressClass][] = [
  ['fd00:ec2::254', 128, 'metadata'],
  ['::', 128, 'unspecified'],
  ['::1', 128, 'loopback'],
  ['fc00::', 7, 'private'],
  ['fe80::', 10, 'link-local'],
  ['ff00::', 8, 'multicast'],
  ['2001:db8::', 32, 'reserved'],
  ['100::', 64, 'reserved'],
];

const v4Ranges: Range[] = V4_RANGES.map(([a, bits, cls]) => ({ base: parseIPv4(a)!, bits, cls }));
const v6Ranges: Range[] = V6_RANGES.map(([a, bits, cls]) => ({ base: parseIPv6(a)!, bits, cls }));

/** Dotted-quad IPv4 (the canonical form URL parsing and resolvers give) → 32-bit number. */
export function parseIPv4(text: string): bigint | null {
  const parts = text.split('.');
  if (parts.length !== 4) return null;
  let n = 0n;
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p) || Number(p) > 255) return null;
    n = (n << 8n) | BigInt(Number(p));
  }
  return n;
}

/** IPv6 text (with `::`, an embedded IPv4 tail or a zone id) → 128-bit number. */
export function parseIPv6(text: string): bigint | null {
  let s = text.replace(/^\[|\]$/g, '').split('%')[0]!.toLowerCase();
  const tail = /(\d+\.\d+\.\d+\.\d+)$/.exec(s);
  if (tail) {
    const v4 = parseIPv4(tail[1]!);
    if (v4 === null) return null;
    s = `${s.slice(0, -tail[1]!.length)}${(v4 >> 16n).toString(16)}:${(v4 & 0xffffn).toString(16)}`;
  }
  const halves = s.split('::');
  if (halves.length > 2) return null;
  const head = halves[0] ? halves[0].split(':') : [];
  const rest = halves.length === 2 && halves[1] ? halves[1].split(':') : [];
  const missing = 8 - head.length - rest.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return null;
  const groups = [...head, ...Array<string>(halves.length === 2 ? missing : 0).fill('0'), ...rest];
  let n = 0n;
  for (const g of groups) {
    if (!/^[0-9a-f]{1,4}$/.test(g)) return null;
    n = (n << 16n) | BigInt(parseInt(g, 16));
  }
  return n;
}

const inRange = (n: bigint, width: number, r: Range): boolean => n >> BigInt(width - r.bits) === r.base >> BigInt(width - r.bits);

/** The class of an IP address, or null when `ip` is not one. */
export function classifyAddress(ip: string): AddressClass | null {
  const v4 = parseIPv4(ip);
  if (v4 !== null) return v4Ranges.find((r) => inRange(v4, 32, r))?.cls ?? (v4 === 0xffffffffn ? 'reserved' : 'public');
  const v6 = parseIPv6(ip);
  if (v6 === null) return null;
  // IPv4-mapped (::ffff:a.b.c.d), IPv4-compatible (::a.b.c.d) and NAT64 (64:ff9b::a.b.c.d) carry an IPv4 inside.
  const low32 = v6 & 0xffffffffn;
  const high96 = v6 >> 32n;
  if (high96 === 0xffffn || high96 === 0x64ff9b0000000000000000n || (high96 === 0n && low32 > 1n)) {
    return classifyAddress([24n, 16n, 8n, 0n].map((s) => String((low32 >> s) & 0xffn)).join('.'));
  }
  return v6Ranges.find((r) => inRange(v6, 128, r))?.cls ?? 'public';
}

const isLocalhostName = (host: string): boolean => host === 'localhost' || host.endsWith('.localhost');

function judgeAddress(cls: AddressClass | null, host: string, allowLoopback: boolean): string | null {
  if (cls === 'public') return null;
  if (cls === 'loopback' && allowLoopback) return null;
  return `${host} is a ${cls ?? 'invalid'} address`;
}

/**
 * The checks that need no DNS: scheme, credentials, a literal IP or `localhost`.
 * `host` is set when the host is a name whose addresses still need checking.
 */
export function checkUrlLiteral(raw: string, opts: { allowLoopback?: boolean } = {}): UrlVerdict & { host?: string } {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { allowed: false, reason: 'not a valid URL' };
  }
  const allowLoopback = opts.allowLoopback ?? false;
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return { allowed: false, reason: `the scheme ${url.protocol} is not allowed` };
  if (url.username || url.password) return { allowed: false, reason: 'credentials in the URL are not allowed' };
  // WHATWG parsing already turned 0x7f.1, 2130706433 and friends into dotted quads.
  const host = url.hostname.replace(/^\[|\]$/g, '').replace(/\.$/, '').toLowerCase();
  const cls = isLocalhostName(host) ? 'loopback' : classifyAddress(host);
  const loopbackAllowed = cls === 'loopback' && allowLoopback;
  if (url.protocol === 'http:' && !loopbackAllowed) return { allowed: false, reason: 'only https URLs are allowed' };
  if (cls !== null) {
    const refused = judgeAddress(cls, host, allowLoopback);
    return refused ? { allowed: false, reason: refused } : { allowed: true, url };
  }
  return { allowed: true, url, host };
}

/** The full check: the literal rules, then every address the host name resolves to. */
export async function checkUrl(raw: string, opts: UrlGuardOptions = {}): Promise<UrlVerdict> {
  const literal = checkUrlLiteral(raw, opts);
  if (!literal.allowed || literal.host === undefined || !opts.resolve) {
    return literal.allowed ? { allowed: true, url: literal.url } : literal;
  }
  let addresses: string[];
  try {
    addresses = await opts.resolve(literal.host);
  } catch {
    return { allowed: false, reason: `${literal.host} does not resolve` };
  }
  if (addresses.length === 0) return { allowed: false, reason: `${literal.host} does not resolve` };
  for (const a of addresses) {
    const cls = classifyAddress(a);
    // A name that resolves to loopback is refused even with allowLoopback: only the
    // literal loopback forms are trusted, so DNS cannot smuggle a local target in.
    if (cls !== 'public') return { allowed: false, reason: `${literal.host} resolves to a ${cls ?? 'invalid'} address` };
  }
  return { allowed: true, url: literal.url };
}
