import type { Request, Response } from 'express';
import type { SimConfig, SimFaults, SimLogger } from './types';

/**
 * Global fault injection on dialect requests (never on /_sim or media). The fault is
 * decided before anything else happens, so a faulted submission creates no task:
 * exactly what a real overloaded proxy does, and what Refrain's retries rely on.
 */

export type FaultKind = 'timeout' | '5xx' | '429' | 'garbage';

/** Independent draws in a fixed order: timeout, 5xx, 429, garbage. */
export function pickFault(f: SimFaults, random: () => number): FaultKind | null {
  if (f.rateTimeout > 0 && random() < f.rateTimeout) return 'timeout';
  if (f.rate5xx > 0 && random() < f.rate5xx) return '5xx';
  if (f.rate429 > 0 && random() < f.rate429) return '429';
  if (f.rateGarbage > 0 && random() < f.rateGarbage) return 'garbage';
  return null;
}

export interface FaultDeps {
  config: () => SimConfig;
  random: () => number;
  logger: SimLogger;
}

export class FaultInjector {
  private held = new Map<NodeJS.Timeout, Request>();

  constructor(private readonly deps: FaultDeps) {}

  pick(): FaultKind | null {
    return pickFault(this.deps.config().faults, this.deps.random);
  }

  /** Answers (or deliberately does not answer) the request according to the fault. */
  apply(kind: FaultKind, req: Request, res: Response, sendError: (status: number, message: string) => void): void {
    const f = this.deps.config().faults;
    this.deps.logger.info({ fault: kind, method: req.method, path: req.path }, 'fault injected');
    switch (kind) {
      case '5xx':
        sendError(503, 'Simulated upstream outage: service unavailable');
        return;
      case '429':
        res.setHeader('Retry-After', String(f.retryAfterS));
        sendError(429, 'Simulated rate limit: too many requests');
        return;
      case 'garbage':
        res.status(200).type('text/html').send('<html>oops</html>');
        return;
      case 'timeout': {
        // Hold the connection open, then drop it without a single byte of answer.
        const timer = setTimeout(() => {
          this.held.delete(timer);
          req.socket.destroy();
        }, f.timeoutMs);
        timer.unref();
        this.held.set(timer, req);
        res.once('close', () => {
          clearTimeout(timer);
          this.held.delete(timer);
        });
        return;
      }
    }
  }

  /** Drops every held request now (reset / close must not wait out their timers). */
  releaseAll(): void {
    for (const [timer, req] of this.held) {
      clearTimeout(timer);
      req.socket.destroy();
    }
    this.held.clear();
  }
}
