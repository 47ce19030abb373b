import { lookup } from 'node:dns/promises';
import type { HostResolver } from '@refrain/core';

/** The URL guard's production resolver: every address the system resolver gives, within a timeout. */
export function systemResolver(timeoutMs = 2000): HostResolver {
  return async (host) => {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`DNS lookup of ${host} timed out`)), timeoutMs);
    });
    try {
      const found = await Promise.race([lookup(host, { all: true, verbatim: true }), timeout]);
      return found.map((a) => a.address);
    } finally {
      clearTimeout(timer);
    }
  };
}
