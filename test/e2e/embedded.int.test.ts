import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { refrainEnv, startRefrain, type RunningRefrain } from '@refrain/bootstrap';
import type { GenerationView } from '@refrain/contracts';

// The embedded default: no DATABASE_URL, no REDIS_URL, no PROVIDERS. An embedded Postgres
// under DATA_DIR holds results and (through BullMQ's Postgres backend) the queues.
let running: RunningRefrain;
let dataDir: string;
beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'refrain-embedded-'));
  const env = refrainEnv.parse({ PORT: '0', DATA_DIR: dataDir, SIM_DURATION_MS: '300', LOG_LEVEL: 'silent' });
  running = await startRefrain(env, ['api', 'worker', 'hooks']);
}, 120_000);
afterAll(async () => {
  await running?.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('the embedded default', () => {
  it('makes development credentials and runs a generation with nothing but Node', async () => {
    expect(running.apiKey).toMatch(/^rk_dev_/);
    expect(running.providers.map((p) => p.name)).toEqual(['sim']);
    const headers = { authorization: `Bearer ${running.apiKey}`, 'content-type': 'application/json' };
    const post = await fetch(`${running.url}/v1/generations`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ steps: [{ op: 'generate', gpt_description_prompt: 'an embedded song' }] }),
    });
    expect(post.status).toBe(202);
    const { id } = (await post.json()) as GenerationView;
    let g: GenerationView | undefined;
    for (let i = 0; i < 6 && g?.status !== 'succeeded'; i++) {
      g = (await (await fetch(`${running.url}/v1/generations/${id}?wait=10`, { headers })).json()) as GenerationView;
    }
    expect(g!.status).toBe('succeeded');
    expect(g!.clips.map((c) => c.status)).toEqual(['complete', 'complete']);
    const audio = await fetch(g!.clips[0]!.audio_url!);
    expect(audio.headers.get('content-type')).toMatch(/^audio\//);
  }, 120_000);
});
