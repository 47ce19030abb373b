import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express, { type NextFunction, type Request, type Response } from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listGenerations } from '@refrain/db';
import { doorErrors, doorRoutes } from '../src/doors';
import { problem } from '../src/http/problem';
import { startApi, type ApiFixture } from './support/api-fixture';

// The doors' long holds take a long-lived-connection slot before anything is made (the
// app's connection caps plug in as `holdConnection`): a refusal creates no song.

let f: ApiFixture;
let server: http.Server;
let url: string;
const asked: string[] = [];
beforeAll(async () => {
  f = await startApi();
  const app = express();
  app.use(express.json());
  app.use((_req, res, next) => {
    res.locals.auth = { tenantId: 'alpha', keyId: 'k1' };
    next();
  });
  app.use(
    doorRoutes(f.deps, {
      holdConnection: async (res) => {
        asked.push(String(res.req.path));
        throw problem(429, 'This API key holds 20 long-lived connections already; close one first.', {}, { 'Retry-After': '5' });
      },
    }),
  );
  app.use(doorErrors);
  app.use((err: unknown, _req: Request, res: Response, _next: NextFunction) => void res.status(500).json({ unexpected: String(err) }));
  server = http.createServer(app);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise<void>((r) => server?.close(() => r()));
  await f?.stop();
});

const post = async (path: string, body: unknown) => {
  const res = await fetch(`${url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: res.status, retryAfter: res.headers.get('retry-after'), body: (await res.json()) as Record<string, unknown> };
};

describe('a door hold over the connection cap', () => {
  it.each([
    ['/gateway/generate/chatgpt', { gpt_description_prompt: 'x' }, (b: Record<string, unknown>) => b.msg],
    ['/suno/audios', { action: 'generate', prompt: 'x' }, (b: Record<string, unknown>) => (b.error as { message: string }).message],
    ['/suno/upload', { audio_url: 'https://93.184.216.34/a.mp3' }, (b: Record<string, unknown>) => (b.error as { message: string }).message],
    ['/api/generate', { prompt: 'x', wait_audio: true }, (b: Record<string, unknown>) => b.error],
    ['/api/generate_lyrics', { prompt: 'x' }, (b: Record<string, unknown>) => b.error],
  ] as const)('%s is refused 429 in its envelope, and nothing is made', async (path, body, messageOf) => {
    const r = await post(path, body);
    expect(r.status).toBe(429);
    expect(r.retryAfter).toBe('5');
    expect(messageOf(r.body)).toContain('long-lived connections');
    expect(asked.at(-1)).toBe(path);
    expect((await listGenerations(f.deps.database.db, 'alpha', { limit: 10 })).data).toEqual([]);
  });
});
