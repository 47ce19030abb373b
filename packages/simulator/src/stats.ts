import { RateCounters } from './rate';
import type { SimDialect, SimStats } from './types';

const DEDUP_DROP = new Set(['notify_hook', 'callback_url']);

/** JSON with sorted keys, so two bodies that differ only in key order are the same. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/**
 * Upstream traffic counters. Tests assert on them to prove Refrain never submits a
 * step twice (duplicates) and batches its status queries (statusQueries).
 */
export class Stats {
  private requests = new Map<string, number>();
  private submissions = 0;
  private duplicates = 0;
  private statusQueries = 0;
  private callbacks = { sent: 0, failed: 0, dropped: 0 };
  /** Keys of submissions already accepted: dialect, path, body without callback URLs. */
  private seen = new Set<string>();
  /** Requests per second and the rate limit (rate.ts). */
  readonly rate = new RateCounters();

  request(dialect: SimDialect, operation: string): void {
    const key = `${dialect}.${operation}`;
    this.requests.set(key, (this.requests.get(key) ?? 0) + 1);
  }

  /** An accepted submission; counts it as a duplicate when the same body came before. */
  submission(dialect: SimDialect, path: string, body: unknown): void {
    this.submissions++;
    const rest =
      body !== null && typeof body === 'object' && !Array.isArray(body)
        ? Object.fromEntries(Object.entries(body).filter(([k]) => !DEDUP_DROP.has(k)))
        : body;
    const key = `${dialect} ${path} ${canonicalJson(rest ?? null)}`;
    if (this.seen.has(key)) this.duplicates++;
    else this.seen.add(key);
  }

  statusQuery(): void {
    this.statusQueries++;
  }

  callback(outcome: 'sent' | 'failed' | 'dropped'): void {
    this.callbacks[outcome]++;
  }

  snapshot(tasks: number): SimStats {
    return {
      requests: Object.fromEntries([...this.requests.entries()].sort(([a], [b]) => (a < b ? -1 : 1))),
      submissions: this.submissions,
      duplicates: this.duplicates,
      statusQueries: this.statusQueries,
      callbacks: { ...this.callbacks },
      tasks,
      rate: this.rate.snapshot(),
    };
  }

  reset(): void {
    this.requests.clear();
    this.submissions = 0;
    this.duplicates = 0;
    this.statusQueries = 0;
    this.callbacks = { sent: 0, failed: 0, dropped: 0 };
    this.seen.clear();
    this.rate.reset();
  }
}
