import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GenerationView } from '@refrain/contracts';
import { startHarness, type Harness } from '../support/harness';

interface OtlpSpan { name: string; traceId: string; parentSpanId?: string; attributes?: { key: string; value: { stringValue?: string } }[] }
interface OtlpExport {
  resourceSpans: { resource: { attributes: { key: string; value: { stringValue?: string } }[] }; scopeSpans: { spans: OtlpSpan[] }[] }[];
}

// A stand-in OpenTelemetry collector: keeps what the OTLP/HTTP exporter posts.
const received: { path: string; type: string; body: OtlpExport }[] = [];
const collector = http.createServer((req, res) => {
  let raw = '';
  req.on('data', (c: Buffer) => (raw += c.toString()));
  req.on('end', () => {
    received.push({ path: req.url ?? '', type: req.headers['content-type'] ?? '', body: JSON.parse(raw) as OtlpExport });
    res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
  });
});

let h: Harness | null = null;
beforeAll(async () => {
  await new Promise<void>((r) => collector.listen(0, '127.0.0.1', r));
  const endpoint = `http://127.0.0.1:${(collector.address() as AddressInfo).port}`;
  h = await startHarness({ env: { OTEL_EXPORTER_OTLP_ENDPOINT: endpoint, OTEL_SERVICE_NAME: 'refrain-trace-test' } });
});
afterAll(async () => {
  await h?.stop();
  collector.close();
});

describe('OpenTelemetry traces (bullmq-otel), when OTEL_EXPORTER_OTLP_ENDPOINT is set', () => {
  it('exports the spans of a generation\'s queue work to the collector', async () => {
    const r = await h!.api<GenerationView>('/v1/generations', { body: { steps: [{ op: 'generate', gpt_description_prompt: 'traced song' }] } });
    expect((await h!.waitFinal(r.body.id)).status).toBe('succeeded');
    await h!.stop(); // shutdown flushes what is buffered
    h = null;

    expect(received.length).toBeGreaterThan(0);
    expect(received.every((x) => x.path === '/v1/traces' && x.type.startsWith('application/json'))).toBe(true);
    const resources = received.flatMap((x) => x.body.resourceSpans);
    const names = new Set(resources.flatMap((rs) => rs.resource.attributes.filter((a) => a.key === 'service.name').map((a) => a.value.stringValue)));
    expect([...names]).toEqual(['refrain-trace-test']);
    const spans = resources.flatMap((rs) => rs.scopeSpans.flatMap((s) => s.spans));
    const spanNames = spans.map((s) => s.name);
    expect(spanNames.some((n) => /steps/.test(n))).toBe(true);
    // The job's processing span carries the job id of the step (generation id and index).
    const jobIds = spans.flatMap((s) => (s.attributes ?? []).filter((a) => /job\.id|job_id/i.test(a.key)).map((a) => a.value.stringValue));
    expect(jobIds).toContain(`${r.body.id}-0`);
  });
});
