import { describe, expect, it } from 'vitest';
import { SMOKE, runBench } from './bench';

/**
 * `pnpm bench` at a tiny scale: every phase runs against real processes, Postgres and
 * Redis, and yields every figure. The full run (`pnpm bench`) is not part of `pnpm test`.
 */
describe('benchmark (smoke run)', () => {
  it('runs every phase and reports every figure', async () => {
    const r = await runBench({ scale: SMOKE, log: () => {} });
    for (const figure of [
      'raw_bullmq_jobs_per_s',
      'e2e_saturation_generations_per_s',
      'e2e_steady_generations_per_s',
      'e2e_to_raw_ratio',
      'flows_3step_per_s',
      'upstream_requests_per_generation_polling',
      'upstream_requests_per_generation_callbacks',
      'callback_to_succeeded_p50_ms',
      'callback_to_succeeded_p99_ms',
      'poll_completion_to_succeeded_p50_ms',
      'poll_completion_to_succeeded_p99_ms',
      'post_latency_p50_ms',
      'post_latency_p99_ms',
      'redis_bytes_per_in_flight_generation',
      'postgres_bytes_per_in_flight_generation',
      'inflight50_busiest_second',
      'inflight50_requests_per_generation',
      'inflight50_submissions_share_of_max_rps',
      'inflight50_end_to_succeeded_p99_ms',
      'inflight50_last_end_to_succeeded_ms',
      'inflight10_busiest_second',
      'inflight10_requests_per_generation',
      'waiting_cores_per_10k',
      'waiting_redis_bytes_per_generation',
      'waiting_postgres_bytes_per_generation',
    ]) {
      expect(r.figures[figure], figure).toEqual(expect.any(Number));
    }
    expect(r.figures.e2e_saturation_generations_per_s).toBeGreaterThan(0);
    expect(r.figures.flows_3step_per_s).toBeGreaterThan(0);
    // every generation of every phase succeeded, and every submission was sent once
    expect(Object.keys(r.details).filter((k) => k.endsWith('_not_succeeded'))).toEqual([]);
    expect(r.figures.upstream_requests_per_generation_polling).toBeGreaterThanOrEqual(1);
    expect(r.figures.upstream_requests_per_generation_callbacks).toBeGreaterThanOrEqual(1);
    // in flight: the provider enforced max_rps, and no second went over it
    expect(r.figures.inflight50_busiest_second).toBeLessThanOrEqual(r.figures.inflight50_max_rps!);
    expect(r.figures.inflight10_busiest_second).toBeLessThanOrEqual(r.figures.inflight10_max_rps!);
    expect(r.figures.inflight50_requests_per_generation).toBeGreaterThanOrEqual(1);
    expect(r.machine.cores).toBeGreaterThan(0);
  }, 300_000);
});
