import { performance } from 'node:perf_hooks';
import type { Database } from '@refrain/db';
import type { ApiClient, PostResult } from './client';
import { sleep } from './stats';

/**
 * Knows how many generations are not final yet (queued or running), from the partial
 * index on generations.status, refreshed every `everyMs` while it runs.
 */
export class Tracker {
  active = 0;
  /** POSTs answered since the last count (they are in Postgres, maybe not yet counted). */
  private postedSince = 0;
  private inFlightPosts = 0;
  private timer: NodeJS.Timeout | null = null;
  private busy = false;

  constructor(
    private readonly db: Database['pool'],
    private readonly everyMs = 100,
  ) {}

  async refresh(): Promise<number> {
    const before = this.postedSince;
    const { rows } = await this.db.query<{ n: number }>("select count(*)::int as n from generations where status in ('queued','running')");
    this.active = rows[0]!.n;
    this.postedSince -= before;
    return this.active;
  }

  start(): void {
    this.timer ??= setInterval(() => {
      if (this.busy) return;
      this.busy = true;
      this.refresh()
        .catch(() => {})
        .finally(() => (this.busy = false));
    }, this.everyMs);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** Generations posted (or being posted) and not yet final, as far as we know. */
  outstanding(): number {
    return this.active + this.postedSince + this.inFlightPosts;
  }

  async post(fn: () => Promise<PostResult>): Promise<PostResult> {
    this.inFlightPosts++;
    try {
      return await fn();
    } finally {
      this.inFlightPosts--;
      this.postedSince++;
    }
  }

  /** Waits until nothing is queued or running (or `timeoutMs` passes); returns whether it drained. */
  async drain(timeoutMs: number): Promise<boolean> {
    const end = Date.now() + timeoutMs;
    for (;;) {
      if ((await this.refresh()) === 0 && this.inFlightPosts === 0) return true;
      if (Date.now() > end) return false;
      await sleep(100);
    }
  }
}

/**
 * Closed loop: `concurrency` posters keep at most `outstanding` generations not final,
 * for `durationMs` (or until `total` were posted). Returns the POST results.
 */
export async function closedLoop(opts: {
  client: ApiClient;
  tracker: Tracker;
  outstanding: number;
  concurrency: number;
  durationMs: number;
  total?: number;
  body: (n: number) => unknown;
}): Promise<PostResult[]> {
  const results: PostResult[] = [];
  const end = Date.now() + opts.durationMs;
  let n = 0;
  opts.tracker.start();
  const poster = async () => {
    while (Date.now() < end && (opts.total === undefined || n < opts.total)) {
      if (opts.tracker.outstanding() >= opts.outstanding) {
        await sleep(5);
        continue;
      }
      const i = n++;
      results.push(await opts.tracker.post(() => opts.client.create(opts.body(i))));
    }
  };
  await Promise.all(Array.from({ length: opts.concurrency }, poster));
  return results;
}

/**
 * Open loop: one POST every 1000/rate ms for `durationMs`, whatever the answers do.
 * Latency counts from the scheduled send time (no coordinated omission).
 */
export async function openLoop(opts: { client: ApiClient; tracker?: Tracker; rate: number; durationMs: number; body: (n: number) => unknown }): Promise<PostResult[]> {
  const pending: Promise<PostResult>[] = [];
  const t0 = performance.now();
  const count = Math.max(1, Math.round((opts.rate * opts.durationMs) / 1000));
  for (let i = 0; i < count; i++) {
    const due = t0 + (i * 1000) / opts.rate;
    const wait = due - performance.now();
    if (wait > 1) await sleep(wait);
    const send = () => opts.client.create(opts.body(i), due);
    pending.push(opts.tracker ? opts.tracker.post(send) : send());
  }
  return Promise.all(pending);
}
