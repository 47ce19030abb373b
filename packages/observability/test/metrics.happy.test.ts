import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import {
  countCallback,
  countDroppedSlot,
  createMetrics,
  observeGateWait,
  observeTasksPerQuery,
  setBudgetGauges,
  setPollGauges,
  setTaskDurations,
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
      'refrain_upstream_gate_requests_total',
      'refrain_upstream_gate_wait_seconds',
      'refrain_upstream_gate_slots_dropped_total',
      'refrain_upstream_budget_rps',
      'refrain_upstream_budget_factor',
      'refrain_poll_tasks',
      'refrain_poll_tasks_per_request',
      'refrain_poll_interval_effective_seconds',
      'refrain_upstream_task_duration_seconds',
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

  it('shows a provider\'s budget, its gate and its polling', async () => {
    const m = createMetrics({ processMetrics: false });
    observeGateWait('relay', 'submit', 0.8, m);
    observeGateWait('relay', 'poll', 0.01, m);
    countDroppedSlot('relay', 'stale_intent', m);
    setBudgetGauges('relay', { limitRps: 48.5, usedRps: 50, factor: 1 }, m);
    setPollGauges('relay', { waiting: 5000, due: 140, asked: 140, overdue: 0, callbackOverdue: 0, effectiveIntervalS: 3 }, m);
    observeTasksPerQuery('relay', 140, m);
    setTaskDurations('relay', { generate: { '0.05': 120.1, '0.5': 120.7 } }, m);
    expect(await value(m, 'refrain_upstream_gate_requests_total', { provider: 'relay', kind: 'submit' })).toBe(1);
    expect(await value(m, 'refrain_upstream_gate_slots_dropped_total', { reason: 'stale_intent' })).toBe(1);
    expect(await value(m, 'refrain_upstream_budget_rps', { state: 'left' })).toBe(0); // never negative
    expect(await value(m, 'refrain_upstream_budget_rps', { state: 'limit' })).toBe(48.5);
    expect(await value(m, 'refrain_poll_tasks', { state: 'due' })).toBe(140);
    expect(await value(m, 'refrain_poll_interval_effective_seconds', { provider: 'relay' })).toBe(3);
    expect(await value(m, 'refrain_upstream_task_duration_seconds', { operation: 'generate', quantile: '0.05' })).toBe(120.1);
    const text = await m.registry.metrics();
    expect(text).toMatch(/refrain_poll_tasks_per_request_bucket\{le="250",provider="relay"\} 1/);
  });
});
