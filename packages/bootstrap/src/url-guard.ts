import { systemResolver } from '@refrain/api';
import { checkUrl, type HostResolver, type UrlVerdict } from '@refrain/core';

/**
 * The URL guard with real DNS, as the engine needs it at delivery time. The verdict names
 * the addresses it judged; the delivery connects to those (core `pinnedLookup`), so the
 * name is resolved once per attempt and the answer that was checked is the one used.
 */
export function createUrlGuard(allowLoopback: boolean, resolve: HostResolver = systemResolver()): (url: string) => Promise<UrlVerdict> {
  return (url) => checkUrl(url, { allowLoopback, resolve });
}
