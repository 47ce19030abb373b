import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import {
  countCallback,
  createMetrics,
  observeStepDuration,
  recordWebhookDelivery,
  setCircuitBreakerState,
  setQueueDepth,
  trackUpstream,
  upstreamOperation,
  upstreamOutcome,
} from '../src';

const value = async (m: ReturnType<typeof createMetrics>, name: string, labels: Record<string, string>) => {
  const metric = (await m.registry.getMetricsAsJSON()).find((x) => x.name === name);
  const hit = metric?.values.find((v) => Object.entries(labels).every(([k, l]) => v.labels[k] === l));
  return hit?.value;
};

describe('refrain_ metrics', () => {
  it('registers every metric with the refrain_ prefix, plus the standard process metrics', async () => {
    const m = createMetrics();
    const text = await m.registry.metrics();
    for (const name of [
      'refrain_queue_depth',
      'refrain_step_duration_seconds',
      'refrain_upstream_requests_total',
      'refrain_upstream_request_duration_seconds',
      'refrain_callbacks_received_total',
      'refrain_callbacks_rejected_total',
      'refrain_webhook_deliveries_total',
      'refrain_circuit_breaker_state',
    ]) {
      expect(text).toContain(`# HELP ${name} `);
    }
    expect(text).toContain('process_cpu_user_seconds_total');
    expect(text).toContain('nodejs_eventloop_lag_seconds');
    const own = (await m.registry.getMetricsAsJSON()).map((x) => x.name).filter((n) => !/^(process|nodejs)_/.test(n));
    expect(own.every((n) => n.startsWith('refrain_'))).toBe(true);
  });

  it('labels upstream requests by a bounded operation and the classified outcome', async () => {
    expect(upstreamOperation('POST', '/v1/suno/generate')).toBe('submit');
    expect(upstreamOperation('POST', '/suno/submit/music')).toBe('submit');
    expect(upstreamOperation('GET', '/v1/suno/feed?ids=a,b,c')).toBe('query');
    expect(upstreamOperation('POST', '/suno/fetch')).toBe('query');
    expect(upstreamOperation('POST', '/suno/tasks')).toBe('query'); // action's retrieve / retrieve_batch
    expect(upstreamOperation('GET', '/gateway/feed/6f1e')).toBe('query');
    expect(upstreamOperation('POST', '/suno/submit/lyrics')).toBe('lyrics');
    expect(upstreamOperation('GET', '/gateway/limit')).toBe('credits');
    expect(upstreamOperation('POST', '/v1/suno/upload')).toBe('upload');
    expect(upstreamOperation('POST', '/v1/suno/concat')).toBe('concat');
    expect(upstreamOutcome({ code: 'upstream_unavailable' })).toBe('unavailable');
    expect(upstreamOutcome(new Error('boom'))).toBe('failed');

    const m = createMetrics({ processMetrics: false });
    await trackUpstream('sim', 'POST', '/v1/suno/generate', Promise.resolve(1), m);
    await expect(trackUpstream('sim', 'POST', '/v1/suno/generate', Promise.reject(Object.assign(new Error('no'), { code: 'upstream_rejected' })), m)).rejects.toThrow('no');
    expect(await value(m, 'refrain_upstream_requests_total', { provider: 'sim', operation: 'submit', outcome: 'ok' })).toBe(1);
    expect(await value(m, 'refrain_upstream_requests_total', { provider: 'sim', operation: 'submit', outcome: 'rejected' })).toBe(1);
  });

  it('counts callbacks received, and rejected ones by reason once answered', async () => {
    const m = createMetrics({ processMetrics: false });
    const answer = (status: number) => {
      const res = Object.assign(new EventEmitter(), { statusCode: 200 });
      countCallback('relay', res, m);
      res.statusCode = status;
      res.emit('finish');
    };
    answer(200);
    answer(404);
    answer(400);
    answer(413);
    expect(await value(m, 'refrain_callbacks_received_total', { provider: 'relay' })).toBe(4);
    expect(await value(m, 'refrain_callbacks_rejected_total', { provider: 'relay', reason: 'unknown_hook' })).toBe(1);
    expect(await value(m, 'refrain_callbacks_rejected_total', { provider: 'relay', reason: 'bad_body' })).toBe(1);
    expect(await value(m, 'refrain_callbacks_rejected_total', { provider: 'relay', reason: 'too_large' })).toBe(1);
  });

  it('records step durations, webhook outcomes, breaker state and queue depth', async () => {
    const m = createMetrics({ processMetrics: false });
    observeStepDuration('extend', 'sim', 'succeeded', new Date(10_000), 22_500, m);
    recordWebhookDelivery('delivered', m);
    setCircuitBreakerState('relay', 'open', m);
    setQueueDepth('steps', { waiting: 3, delayed: 7 }, m);
    const text = await m.registry.metrics();
    expect(text).toContain('refrain_step_duration_seconds_sum{operation="extend",provider="sim",outcome="succeeded"} 12.5');
    expect(text).toContain('refrain_webhook_deliveries_total{outcome="delivered"} 1');
    expect(text).toContain('refrain_circuit_breaker_state{provider="relay"} 2');
    expect(text).toContain('refrain_queue_depth{queue="steps",state="delayed"} 7');
    expect(text).toContain('refrain_queue_depth{queue="steps",state="active"} 0');
  });
});
