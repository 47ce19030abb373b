/**
 * What kind of IP address a text is: the ranges the URL guard refuses. Pure, no I/O.
 * Special-purpose ranges follow IANA's IPv4 and IPv6 special-purpose address registries;
 * IPv6 forms that carry an IPv4 address are judged by the IPv4 address inside, and
 * the ones whose inner address cannot be read reliably (Teredo, local-use NAT64) are refused.
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
  ['192.88.99.0', 24, 'reserved'], // 6to4 relay anycast (deprecated, RFC 7526)
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
  ['fec0::', 10, 'private'], // site-local (deprecated, RFC 3879), still routed inside sites
  ['fe80::', 10, 'link-local'],
  ['ff00::', 8, 'multicast'],
  ['2001::', 32, 'reserved'], // Teredo: the inner address is obfuscated
  ['2001:2::', 48, 'reserved'], // benchmarking
  ['2001:10::', 28, 'reserved'], // ORCHID
  ['2001:20::', 28, 'reserved'], // ORCHIDv2
  ['2001:db8::', 32, 'reserved'],
  ['3fff::', 20, 'reserved'], // documentation (RFC 9637)
  ['5f00::', 16, 'reserved'], // SRv6 SIDs
  ['64:ff9b:1::', 48, 'reserved'], // local-use NAT64 (RFC 8215): translates into the local network
  ['100::', 64, 'reserved'],
];

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

const v4Ranges: Range[] = V4_RANGES.map(([a, bits, cls]) => ({ base: parseIPv4(a)!, bits, cls }));
const v6Ranges: Range[] = V6_RANGES.map(([a, bits, cls]) => ({ base: parseIPv6(a)!, bits, cls }));

const inRange = (n: bigint, width: number, r: Range): boolean => n >> BigInt(width - r.bits) === r.base >> BigInt(width - r.bits);

/**
 * The IPv4 address an IPv6 address carries, when it is one of the forms that reach an
 * IPv4 host: mapped `::ffff:a.b.c.d`, translated `::ffff:0:a.b.c.d`, compatible
 * `::a.b.c.d`, well-known NAT64 `64:ff9b::a.b.c.d`, and 6to4 `2002:aabb:ccdd::`.
 */
function embeddedIPv4(v6: bigint): bigint | null {
  const low32 = v6 & 0xffffffffn;
  const high96 = v6 >> 32n;
  if (high96 === 0xffffn || high96 === 0xffff0000n || high96 === 0x64ff9b0000000000000000n) return low32;
  if (high96 === 0n && low32 > 1n) return low32; // :: and ::1 are themselves
  if (v6 >> 112n === 0x2002n) return (v6 >> 80n) & 0xffffffffn;
  return null;
}

/** The class of an IP address, or null when `ip` is not one. */
export function classifyAddress(ip: string): AddressClass | null {
  const v4 = parseIPv4(ip);
  if (v4 !== null) return classifyIPv4(v4);
  const v6 = parseIPv6(ip);
  if (v6 === null) return null;
  const inner = embeddedIPv4(v6);
  if (inner !== null) return classifyIPv4(inner);
  return v6Ranges.find((r) => inRange(v6, 128, r))?.cls ?? 'public';
}

function classifyIPv4(v4: bigint): AddressClass {
  return v4Ranges.find((r) => inRange(v4, 32, r))?.cls ?? (v4 === 0xffffffffn ? 'reserved' : 'public');
}
