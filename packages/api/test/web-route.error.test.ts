import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { webRoute } from '../src/routes/web';
import { STUDIO_CSP } from '../src/web/csp';

// The page's route alone, over a folder where no build has run (`pnpm install --ignore-scripts`).
let server: http.Server;
let url: string;
const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'studio-missing-'));
beforeAll(async () => {
  const app = express().use(webRoute(`${empty}/`));
  server = http.createServer(app);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((r) => server.close(r));
  fs.rmSync(empty, { recursive: true, force: true });
});

describe('the studio page when it has not been built', () => {
  it('says how to build it instead of failing obscurely, still under the CSP', async () => {
    const res = await fetch(`${url}/`);
    expect(res.status).toBe(503);
    expect(await res.text()).toContain('pnpm --filter @refrain/studio build');
    expect(res.headers.get('content-security-policy')).toBe(STUDIO_CSP);
  });

  it('answers 404 for assets that are not there', async () => {
    expect((await fetch(`${url}/studio/app-ABCDEFGH.js`)).status).toBe(404);
  });
});
