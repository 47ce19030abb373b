import { lookup } from 'node:dns/promises';
import { checkUrl } from '@refrain/core';

/** The URL guard with real DNS, as the engine needs it: the reason a URL is refused, or null. */
export function createUrlGuard(allowLoopback: boolean): (url: string) => Promise<string | null> {
  const resolve = async (host: string) => (await lookup(host, { all: true })).map((a) => a.address);
  return async (url) => {
    const verdict = await checkUrl(url, { allowLoopback, resolve });
    return verdict.allowed ? null : verdict.reason;
  };
}
