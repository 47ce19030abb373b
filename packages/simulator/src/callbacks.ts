import { isIPv4 } from 'node:net';
import type { Stats } from './stats';
import type { SimLogger } from './types';

const CALLBACK_TIMEOUT_MS = 5000;

/**
 * Only loopback targets: this sandbox (and any test run) must never send traffic
 * elsewhere, so the guard is on the host name itself, not on DNS results.
 */
export function isLoopbackHost(hostname: string): boolean {
  const h = hostname.toLowerCase().replace(/^\[|\]$/g, '');
  if (h === 'localhost') return true;
  if (h === '::1' || h === '0:0:0:0:0:0:0:1') return true;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(h)?.[1];
  const v4 = mapped ?? h;
  return isIPv4(v4) && v4.split('.')[0] === '127';
}

export function isLoopbackUrl(url: string): boolean {
  try {
    const u = new URL(url);
    return (u.protocol === 'http:' || u.protocol === 'https:') && isLoopbackHost(u.hostname);
  } catch {
    return false;
  }
}

/** Callback URLs carry secret tokens: logs get the host only. */
function safeHost(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return '(invalid url)';
  }
}

export interface CallbackOptions {
  stats: Stats;
  logger: SimLogger;
  dropCallbacks: () => boolean;
}

/** Sends one POST per call: no retries (Refrain must cope with lost callbacks by polling). */
export class CallbackSender {
  private inflight = new Set<AbortController>();
  /** Bumped by abortAll, so callbacks cut short by a reset are not counted afterwards. */
  private epoch = 0;

  constructor(private readonly opts: CallbackOptions) {}

  /** Resolves true when the receiver answered 2xx. Never throws. */
  async send(url: string, body: unknown, taskId: string): Promise<boolean> {
    const { stats, logger } = this.opts;
    if (this.opts.dropCallbacks()) {
      stats.callback('dropped');
      logger.info({ taskId, host: safeHost(url) }, 'callback dropped (dropCallbacks)');
      return false;
    }
    if (!isLoopbackUrl(url)) {
      stats.callback('failed');
      logger.warn({ taskId, host: safeHost(url) }, 'callback refused: only loopback hosts are allowed');
      return false;
    }
    const epoch = this.epoch;
    const ac = new AbortController();
    this.inflight.add(ac);
    const timer = setTimeout(() => ac.abort(), CALLBACK_TIMEOUT_MS);
    try {
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
        signal: ac.signal,
      });
      await res.arrayBuffer().catch(() => undefined);
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
      if (epoch === this.epoch) stats.callback('sent');
      return true;
    } catch (err) {
      if (epoch !== this.epoch) return false;
      stats.callback('failed');
      logger.warn({ taskId, host: safeHost(url), err: (err as Error).message }, 'callback failed');
      return false;
    } finally {
      clearTimeout(timer);
      this.inflight.delete(ac);
    }
  }

  /** Aborts callbacks in flight (reset / close). */
  abortAll(): void {
    this.epoch++;
    for (const ac of this.inflight) ac.abort();
    this.inflight.clear();
  }
}
