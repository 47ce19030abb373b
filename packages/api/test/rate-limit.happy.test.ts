import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '@refrain/observability';
import { perKeyRateLimit } from '../src/http/rate-limit';
import { sendProblem, type HttpProblem } from '../src/http/problem';

// Without Redis the limiter counts in memory, per process: no I/O here beyond loopback HTTP.
let server: http.Server;
let url: string;
beforeAll(async () => {
  const app = express();
  app.use((req, res, next) => {
    res.locals.auth = { tenantId: 't', keyId: String(req.headers['x-key']) };
    next();
  });
  app.use(perKeyRateLimit({ perMinute: 3, redis: null, redisPrefix: 'x', logger: createLogger({ level: 'silent' }) }));
  app.get('/', (_req, res) => {
    res.json({ ok: true });
  });
  app.use((err: HttpProblem, _req: express.Request, res: express.Response, _next: express.NextFunction) => sendProblem(res, err));
  server = http.createServer(app);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
});
afterAll(async () => {
  await new Promise((r) => server.close(r));
});

describe('rate limit without Redis', () => {
  it('limits in memory per key, with the same headers and 429', async () => {
    const get = (key: string) => fetch(url, { headers: { 'x-key': key } });
    const seen = [];
    for (let i = 0; i < 4; i++) seen.push(await get('k1'));
    expect(seen.map((r) => r.status)).toEqual([200, 200, 200, 429]);
    expect(seen[0]!.headers.get('ratelimit')).toMatch(/^"per-key"; r=2; t=\d+$/);
    expect(seen[3]!.headers.get('content-type')).toContain('application/problem+json');
    expect(seen[3]!.headers.get('retry-after')).toMatch(/^\d+$/);
    expect((await get('k2')).status).toBe(200);
  });
});
