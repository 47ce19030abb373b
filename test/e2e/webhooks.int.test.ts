import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Webhook } from 'standardwebhooks';
import type { GenerationView } from '@refrain/contracts';
import { startHarness, type Harness } from '../support/harness';

interface Received {
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** A client's webhook receiver on loopback; `plan` says how to answer each request in turn. */
function startReceiver(plan: number[]) {
  const received: Received[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      received.push({ headers: req.headers, body });
      const status = plan[received.length - 1] ?? 200;
      res.writeHead(status, status === 503 ? { 'retry-after': '0' } : {}).end();
    });
  });
  return new Promise<{ url: string; received: Received[]; close(): Promise<void> }>((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({ url: `http://127.0.0.1:${port}/hook`, received, close: () => new Promise((r) => server.close(() => r())) });
    }),
  );
}

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ env: { ALLOW_LOOPBACK_URLS: 'true', WEBHOOK_RETRY_BASE_MS: '100' } });
});
afterAll(async () => {
  await h?.stop();
});

async function until<T>(fn: () => Promise<T | undefined>, ms = 10_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('webhooks out', () => {
  it('signs every delivery (Standard Webhooks) and retries a failing receiver until the third attempt', async () => {
    const receiver = await startReceiver([500, 503, 200]);
    const { body: secret } = await h.api<{ secret: string }>('/v1/webhooks/secret');
    expect(secret.secret).toMatch(/^whsec_/);
    const g = await h.api<GenerationView>('/v1/generations', {
      body: { steps: [{ op: 'generate', gpt_description_prompt: 'webhook song' }], callback_url: receiver.url },
    });
    await h.waitFinal(g.body.id);
    await until(async () => (receiver.received.length >= 3 ? true : undefined));
    const wh = new Webhook(secret.secret);
    for (const r of receiver.received) {
      const payload = wh.verify(r.body, r.headers as Record<string, string>) as { type: string; data: { generation_id: string; generation: GenerationView } };
      expect(payload.type).toBe('generation.succeeded');
      expect(payload.data.generation_id).toBe(g.body.id);
      expect(payload.data.generation.status).toBe('succeeded');
    }
    const ids = new Set(receiver.received.map((r) => r.headers['webhook-id']));
    expect(ids.size).toBe(1);
    const deliveries = await until(async () => {
      const d = await h.api<{ data: { event: string; status: string; attempts: { status: number }[] }[] }>(`/v1/generations/${g.body.id}/deliveries`);
      return d.body.data[0]?.status === 'delivered' ? d.body.data : undefined;
    });
    expect(deliveries).toHaveLength(1);
    expect(deliveries[0]!.attempts.map((a) => a.status)).toEqual([500, 503, 200]);
    await receiver.close();
  });

  it('sends opt-in step and clip events, and stops on 410', async () => {
    const receiver = await startReceiver([200, 200, 200, 200, 200, 200, 200, 200]);
    const g = await h.api<GenerationView>('/v1/generations', {
      body: {
        steps: [{ op: 'generate', gpt_description_prompt: 'opt-in events [sim:duration=600]' }],
        callback_url: receiver.url,
        webhook_events: ['step.succeeded', 'clip.streaming', 'generation.succeeded'],
      },
    });
    await h.waitFinal(g.body.id);
    await until(async () => (receiver.received.length >= 4 ? true : undefined));
    const types = receiver.received.map((r) => (JSON.parse(r.body) as { type: string }).type).sort();
    expect(types).toEqual(['clip.streaming', 'clip.streaming', 'generation.succeeded', 'step.succeeded']);
    await receiver.close();

    const gone = await startReceiver([410]);
    const g2 = await h.api<GenerationView>('/v1/generations', {
      body: { steps: [{ op: 'generate', gpt_description_prompt: 'gone receiver' }], callback_url: gone.url },
    });
    await h.waitFinal(g2.body.id);
    const d = await until(async () => {
      const r = await h.api<{ data: { status: string; attempts: unknown[] }[] }>(`/v1/generations/${g2.body.id}/deliveries`);
      return r.body.data[0]?.status === 'gone' ? r.body.data[0] : undefined;
    });
    expect(d.attempts).toHaveLength(1);
    await new Promise((r) => setTimeout(r, 500));
    expect(gone.received).toHaveLength(1);
    await gone.close();
  });

  it('rotates the signing secret', async () => {
    const before = (await h.api<{ secret: string }>('/v1/webhooks/secret')).body.secret;
    const rotated = (await h.api<{ secret: string }>('/v1/webhooks/secret/rotate', { method: 'POST' })).body.secret;
    expect(rotated).toMatch(/^whsec_/);
    expect(rotated).not.toBe(before);
    expect((await h.api<{ secret: string }>('/v1/webhooks/secret')).body.secret).toBe(rotated);
  });
});
