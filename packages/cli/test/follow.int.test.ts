import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../src';
import { captureIo, startFakeApi, type FakeApi } from './fake-api';

let api: FakeApi | null = null;
afterEach(async () => {
  await api?.close();
  api = null;
});
const env = (url: string) => ({ REFRAIN_URL: url, REFRAIN_API_KEY: 'good-key' });

describe('watch over a real HTTP server', () => {
  it('follows SSE, resumes with Last-Event-ID after the stream drops, and prints the audio URL', async () => {
    api = await startFakeApi();
    const cap = captureIo({ tty: false });
    const code = await runCli(['watch', 'gen_fake'], cap.io, env(api.url));
    expect(code).toBe(0);
    expect(api.resumes).toEqual([null, '3']);
    const text = cap.text();
    // One line per state change, in order, never repeated.
    expect(text.indexOf('step 1 generate: submitting')).toBeGreaterThan(-1);
    expect(text.indexOf('step 1 generate: waiting (task task-1)')).toBeGreaterThan(text.indexOf('step 1 generate: submitting'));
    expect(text.indexOf('clip clip-aaaa1111 (step 1): streaming')).toBeLessThan(text.indexOf('clip clip-aaaa1111 (step 1): complete'));
    expect(cap.out.filter((l) => l === 'step 1 generate: succeeded (task task-1)')).toHaveLength(1);
    expect(cap.out).toContain(`audio clip-aaaa1111 step 1 ${api.url}/audio/clip-aaaa1111`);
    expect(cap.out.some((l) => l.startsWith('final gen_fake succeeded'))).toBe(true);
  });

  it('prints every event as a JSON line with --json', async () => {
    api = await startFakeApi();
    const cap = captureIo();
    expect(await runCli(['watch', 'gen_fake', '--json'], cap.io, env(api.url))).toBe(0);
    const lines = cap.out.map((l) => JSON.parse(l) as { id: string | null; event: string; data: { status?: string } });
    expect(lines.slice(0, -1).map((l) => l.id)).toEqual(['1', '2', '3', '4', '5', '6', '7']);
    expect(lines.at(-1)).toMatchObject({ event: 'final', data: { status: 'succeeded' } });
  });

  it('redraws bars in place on a terminal', async () => {
    api = await startFakeApi();
    const cap = captureIo({ tty: true });
    expect(await runCli(['watch', 'gen_fake'], cap.io, env(api.url))).toBe(0);
    expect(cap.out.some((l) => l.includes('\x1b[') && l.includes('A\x1b[0J'))).toBe(true);
    expect(cap.out.some((l) => /\[█{20}\]\s+1 generate\s+succeeded/.test(l))).toBe(true);
    expect(cap.out.some((l) => l.includes('★ step 1  Fake Song  12.5 s'))).toBe(true);
  });

  it('falls back to ?wait= long-polls when the server has no event stream', async () => {
    api = await startFakeApi({ sse: false });
    const cap = captureIo();
    expect(await runCli(['watch', 'gen_fake'], cap.io, env(api.url))).toBe(0);
    expect(api.requests.some((r) => r === 'GET /v1/generations/gen_fake?wait=2')).toBe(true);
    expect(cap.out).toContain('generation gen_fake: succeeded');
  });

  it('downloads the clips into a directory', async () => {
    api = await startFakeApi();
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'refrain-dl-'));
    const cap = captureIo({ cwd: dir });
    await runCli(['watch', 'gen_fake'], captureIo().io, env(api.url));
    expect(await runCli(['download', 'gen_fake', 'songs'], cap.io, env(api.url))).toBe(0);
    expect(cap.out).toEqual([path.join(dir, 'songs', 'step1-fake-song-clip-aaaa111.wav')]);
    const bytes = await fs.readFile(cap.out[0]!);
    expect(bytes.subarray(0, 4).toString()).toBe('RIFF');
    await fs.rm(dir, { recursive: true, force: true });
  });
});
