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
import type { LookupFunction } from 'node:net';
import { classifyAddress, type AddressClass } from './address-class';

export * from './address-class';

/** host → its addresses (IPv4 or IPv6 text). Production passes `dns.lookup(host, {all: true})`. */
export type HostResolver = (host: string) => Promise<string[]>;

export interface UrlGuardOptions {
  allowLoopback?: boolean;
  /** Without one, a host name is judged by its name only (see `checkUrlLiteral`). */
  resolve?: HostResolver;
}

/**
 * `addresses`: what was judged and is safe to connect to — the literal host, or every
 * address the name resolved to; null when a name was judged without DNS. Connect to
 * these (see `pinnedLookup`), never to a second resolution of the name.
 */
export type UrlVerdict = { allowed: true; url: URL; addresses: string[] | null } | { allowed: false; reason: string };

const isLocalhostName = (host: string): boolean => host === 'localhost' || host.endsWith('.localhost');
/** `localhost` is judged by its name; these are where it may be reached. */
const LOCALHOST_ADDRESSES = ['127.0.0.1', '::1'];

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
  const byName = isLocalhostName(host);
  const cls = byName ? 'loopback' : classifyAddress(host);
  const loopbackAllowed = cls === 'loopback' && allowLoopback;
  if (url.protocol === 'http:' && !loopbackAllowed) return { allowed: false, reason: 'only https URLs are allowed' };
  if (cls !== null) {
    const refused = judgeAddress(cls, host, allowLoopback);
    return refused ? { allowed: false, reason: refused } : { allowed: true, url, addresses: byName ? LOCALHOST_ADDRESSES : [host] };
  }
  return { allowed: true, url, addresses: null, host };
}

/**
 * The full check: the literal rules, then every address the host name resolves to.
 * A name that does not resolve and a name that resolves to a refused address get the
 * same reason: a different one would let a tenant map the names the server's resolver knows.
 */
export async function checkUrl(raw: string, opts: UrlGuardOptions = {}): Promise<UrlVerdict> {
  const literal = checkUrlLiteral(raw, opts);
  if (!literal.allowed) return literal;
  if (literal.host === undefined || !opts.resolve) return { allowed: true, url: literal.url, addresses: literal.addresses };
  const refused = { allowed: false as const, reason: `${literal.host} does not resolve to a public address` };
  let addresses: string[];
  try {
    addresses = await opts.resolve(literal.host);
  } catch {
    return refused;
  }
  // A name that resolves to loopback is refused even with allowLoopback: only the
  // literal loopback forms are trusted, so DNS cannot smuggle a local target in.
  if (addresses.length === 0 || addresses.some((a) => classifyAddress(a) !== 'public')) return refused;
  return { allowed: true, url: literal.url, addresses };
}

const familyOf = (address: string): 4 | 6 => (address.includes(':') ? 6 : 4);

/**
 * A `lookup` for sockets (net, tls, undici's `connect.lookup`) that answers the addresses
 * the guard judged and nothing else: the connection goes where the check looked, so a
 * name that answers differently the second time (DNS rebinding) cannot redirect it.
 */
export function pinnedLookup(addresses: readonly string[]): LookupFunction {
  return (hostname, options, callback) => {
    const family = options.family === 'IPv4' ? 4 : options.family === 'IPv6' ? 6 : options.family;
    const usable = addresses.filter((a) => !family || familyOf(a) === family);
    if (usable.length === 0) {
      const err = Object.assign(new Error(`no checked address for ${hostname}`), { code: 'ENOTFOUND', hostname });
      return callback(err, '', 0);
    }
    if (options.all) return callback(null, usable.map((address) => ({ address, family: familyOf(address) })) as never);
    callback(null, usable[0]!, familyOf(usable[0]!));
  };
}
