import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { refrainEnv, startRefrain } from '@refrain/bootstrap';
import type { GenerationView } from '@refrain/contracts';
import { startHarness, type Harness } from '../support/harness';

// Two providers on the simulator: native (polled) and relay with notify_hook callbacks.
let h: Harness;
beforeAll(async () => {
  h = await startHarness({
    providers: (sim) => [
      { name: 'sim', dialect: 'native', base_url: sim, api_key: 'sim-key', poll_interval_ms: 200 },
      { name: 'relay', dialect: 'relay', base_url: sim, api_key: 'sim-key', callbacks: true, poll_interval_ms: 60_000 },
    ],
  });
});
afterAll(async () => {
  await h?.stop();
});

/** One sample's value from the text format; labels match as a subset. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const line of text.split('\n')) {
    const m = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const have = Object.fromEntries([...(m[2] ?? '').matchAll(/(\w+)="([^"]*)"/g)].map((x) => [x[1], x[2]]));
    if (Object.entries(labels).every(([k, v]) => have[k] === v)) return Number(m[3]);
  }
  return undefined;
}

const scrape = async (url: string) => {
  const res = await fetch(`${url}/metrics`);
  return { status: res.status, type: res.headers.get('content-type') ?? '', text: await res.text() };
};

describe('/metrics', () => {
  it('is served without an API key, in the Prometheus text format', async () => {
    const m = await scrape(h.url);
    expect(m.status).toBe(200);
    expect(m.type).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(m.text).toContain('# TYPE refrain_queue_depth gauge');
    expect(sample(m.text, 'process_cpu_user_seconds_total')).toBeGreaterThan(0);
    for (const name of ['refrain_webhook_deliveries_total', 'refrain_circuit_breaker_state', 'refrain_callbacks_rejected_total']) {
      expect(m.text).toContain(`# HELP ${name} `);
    }
  });

  it('counts upstream requests, step durations and callbacks of real generations', async () => {
    const polled = await h.api<GenerationView>('/v1/generations', { body: { steps: [{ op: 'generate', gpt_description_prompt: 'metrics song' }] } });
    const called = await h.api<GenerationView>('/v1/generations', {
      body: { provider: 'relay', steps: [{ op: 'generate', gpt_description_prompt: 'metrics callback song' }] },
    });
    expect((await h.waitFinal(polled.body.id)).status).toBe('succeeded');
    expect((await h.waitFinal(called.body.id)).status).toBe('succeeded');
    const bogus = await fetch(`${h.url}/hooks/relay/not-a-token`, { method: 'POST', body: '{}' });
    expect(bogus.status).toBe(404);

    const { text } = await scrape(h.url);
    expect(sample(text, 'refrain_upstream_requests_total', { provider: 'sim', operation: 'submit', outcome: 'ok' })).toBeGreaterThanOrEqual(1);
    expect(sample(text, 'refrain_upstream_requests_total', { provider: 'sim', operation: 'query', outcome: 'ok' })).toBeGreaterThanOrEqual(1);
    expect(sample(text, 'refrain_upstream_requests_total', { provider: 'relay', operation: 'submit', outcome: 'ok' })).toBeGreaterThanOrEqual(1);
    expect(sample(text, 'refrain_step_duration_seconds_count', { operation: 'generate', provider: 'sim', outcome: 'succeeded' })).toBeGreaterThanOrEqual(1);
    expect(sample(text, 'refrain_step_duration_seconds_sum', { operation: 'generate', provider: 'sim', outcome: 'succeeded' })).toBeGreaterThan(0);
    expect(sample(text, 'refrain_callbacks_received_total', { provider: 'relay' })).toBeGreaterThanOrEqual(2);
    expect(sample(text, 'refrain_callbacks_rejected_total', { provider: 'relay', reason: 'unknown_hook' })).toBe(1);
    expect(sample(text, 'refrain_upstream_request_duration_seconds_count', { provider: 'sim', operation: 'submit' })).toBeGreaterThanOrEqual(1);
  });

  it('reads queue depth from the queues at scrape time', async () => {
    const slow = await h.api<GenerationView>('/v1/generations', {
      body: { steps: [{ op: 'generate', gpt_description_prompt: 'slow [sim:duration=4000]' }, { op: 'extend', continue_at: 5 }] },
    });
    let waitingChildren: number | undefined;
    for (let i = 0; i < 40 && !waitingChildren; i++) {
      waitingChildren = sample((await scrape(h.url)).text, 'refrain_queue_depth', { queue: 'steps', state: 'waiting-children' });
      if (!waitingChildren) await new Promise((r) => setTimeout(r, 100));
    }
    expect(waitingChildren).toBeGreaterThanOrEqual(1);
    const text = (await scrape(h.url)).text;
    for (const queue of ['steps', 'poll', 'deliveries', 'maintenance']) {
      expect(sample(text, 'refrain_queue_depth', { queue, state: 'waiting' })).toBeDefined();
    }
    await h.api(`/v1/generations/${slow.body.id}/cancel`, { method: 'POST' });
  });

  it('is served on METRICS_PORT by a process without the API (a worker)', async () => {
    const env = refrainEnv.parse({ ...h.workerEnv, METRICS_PORT: '0', LOG_LEVEL: 'silent' });
    const worker = await startRefrain(env, ['worker']);
    try {
      expect(worker.url).toBeNull();
      expect(worker.metricsUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const m = await scrape(worker.metricsUrl!);
      expect(m.status).toBe(200);
      expect(sample(m.text, 'refrain_queue_depth', { queue: 'steps', state: 'completed' })).toBeGreaterThanOrEqual(1);
      expect((await fetch(`${worker.metricsUrl}/healthz`)).status).toBe(200);
    } finally {
      await worker.stop();
    }
  });
});
