import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { refrainEnv, startRefrain, type RunningRefrain } from '@refrain/bootstrap';
import type { GenerationView } from '@refrain/contracts';
import { createTestRuntimeDir } from '@refrain/db';

// The embedded default: no DATABASE_URL, no REDIS_URL, no PROVIDERS. An embedded Postgres
// for DATA_DIR holds results and (through BullMQ's Postgres backend) the queues. DATA_DIR
// is a private (0700) temp folder, as a home folder is.
let running: RunningRefrain | undefined;
let dataDir: string;
const runtime = createTestRuntimeDir();
const envFor = (dir: string) => refrainEnv.parse({ PORT: '0', DATA_DIR: dir, PG_RUNTIME_DIR: runtime.dir, SIM_DURATION_MS: '300', LOG_LEVEL: 'silent' });
beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'refrain-embedded-'));
  running = await startRefrain(envFor(dataDir), ['api', 'worker', 'hooks']);
}, 120_000);
afterAll(async () => {
  await running?.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
  runtime.remove();
});

async function generate(r: RunningRefrain, description: string): Promise<GenerationView> {
  const headers = { authorization: `Bearer ${r.apiKey}`, 'content-type': 'application/json' };
  const post = await fetch(`${r.url}/v1/generations`, { method: 'POST', headers, body: JSON.stringify({ steps: [{ op: 'generate', gpt_description_prompt: description }] }) });
  expect(post.status).toBe(202);
  const { id } = (await post.json()) as GenerationView;
  let g: GenerationView | undefined;
  for (let i = 0; i < 6 && g?.status !== 'succeeded'; i++) {
    g = (await (await fetch(`${r.url}/v1/generations/${id}?wait=10`, { headers })).json()) as GenerationView;
  }
  return g!;
}

describe('the embedded default', () => {
  it('makes development credentials and runs a generation with nothing but Node', async () => {
    expect(running!.apiKey).toMatch(/^rk_dev_/);
    expect(running!.providers.map((p) => p.name)).toEqual(['sim']);
    const g = await generate(running!, 'an embedded song');
    expect(g.status).toBe('succeeded');
    expect(g.clips.map((c) => c.status)).toEqual(['complete', 'complete']);
    const audio = await fetch(g.clips[0]!.audio_url!);
    expect(audio.headers.get('content-type')).toMatch(/^audio\//);
  }, 120_000);

  it('keeps its songs across a restart on the same DATA_DIR', async () => {
    const first = await generate(running!, 'a song to keep');
    expect(first.status).toBe('succeeded');
    await running!.stop();
    running = await startRefrain(envFor(dataDir), ['api', 'worker', 'hooks']);
    const res = await fetch(`${running.url}/v1/generations?limit=100`, { headers: { authorization: `Bearer ${running.apiKey}` } });
    const ids = ((await res.json()) as { data: GenerationView[] }).data.map((g) => g.id);
    expect(ids).toContain(first.id);
  }, 120_000);
});
