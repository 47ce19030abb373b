import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, createTestRuntimeDir } from '@refrain/db';
import { startApp } from '../support/processes';

// What a person sees when the all-in-one process cannot start: one message that names the
// cause and the path or variable, a non-zero exit within seconds, no stack of Node internals.
const ADMIN_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const root = process.getuid?.() === 0;
const runtime = createTestRuntimeDir();
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'refrain-startup-'));
fs.chmodSync(scratch, 0o755); // reachable by user postgres: DATA_DIRs below keep their cluster in place
let db: Awaited<ReturnType<typeof createTestDatabase>>;
beforeAll(async () => {
  db = await createTestDatabase(ADMIN_URL);
});
afterAll(async () => {
  for (const m of mounts) execFileSync('umount', ['-l', m]);
  fs.rmSync(scratch, { recursive: true, force: true });
  runtime.remove();
  await db?.drop();
});
const mounts: string[] = [];

async function failedStart(env: Record<string, string>): Promise<{ code: number | null; output: string; seconds: number }> {
  const started = Date.now();
  const app = startApp('server', { PORT: '0', LOG_LEVEL: 'silent', PG_RUNTIME_DIR: runtime.dir, STARTUP_WAIT_S: '2', ...env });
  const timer = setTimeout(() => app.child.kill('SIGKILL'), 30_000);
  const code = await app.exited;
  clearTimeout(timer);
  return { code, output: app.output(), seconds: (Date.now() - started) / 1000 };
}

function expectClearFailure(r: { code: number | null; output: string; seconds: number }, ...words: (string | RegExp)[]) {
  expect(r.code, r.output).not.toBe(0);
  expect(r.code, r.output).not.toBeNull(); // exited by itself, not killed at 30 s
  expect(r.seconds).toBeLessThan(30);
  expect(r.output).toContain('Refrain could not start:');
  expect(r.output).toContain('What to do:');
  for (const w of words) expect(r.output).toMatch(typeof w === 'string' ? new RegExp(w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')) : w);
  expect(r.output).not.toMatch(/node:internal|^\s+at /m);
}

const closedPort = () =>
  new Promise<number>((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });

describe('the process stops with one clear message when it cannot start', () => {
  it('DATA_DIR is a file', async () => {
    const file = path.join(scratch, 'a-file');
    fs.writeFileSync(file, 'not a folder');
    expectClearFailure(await failedStart({ DATA_DIR: file }), 'DATA_DIR', file, 'is a file');
  }, 40_000);

  it('DATA_DIR cannot be written', async (ctx) => {
    const dir = path.join(scratch, 'readonly');
    fs.mkdirSync(dir);
    if (root) {
      // Root writes anywhere a file system lets it: a read-only mount is what stops it.
      try {
        execFileSync('mount', ['-t', 'tmpfs', '-o', 'ro,size=1m', 'refrain-ro', dir], { stdio: 'ignore' });
        mounts.push(dir);
      } catch {
        ctx.skip(); // no mount privilege here (printed by vitest as skipped)
      }
    } else {
      fs.chmodSync(dir, 0o500);
    }
    expectClearFailure(await failedStart({ DATA_DIR: path.join(dir, 'data') }), 'DATA_DIR', dir, root ? /read-only file system|cannot be written/ : 'cannot be written');
  }, 40_000);

  it('PORT is taken', async () => {
    const holder = net.createServer();
    const port = await new Promise<number>((resolve) => holder.listen(0, '127.0.0.1', () => resolve((holder.address() as net.AddressInfo).port)));
    try {
      const dataDir = path.join(scratch, 'busy-port');
      const r = await failedStart({ DATA_DIR: dataDir, PORT: String(port) });
      expectClearFailure(r, `PORT ${port} is already in use`);
      // The embedded server it had started was stopped on the way out.
      const pid = path.join(dataDir, 'pg', 'postmaster.pid');
      expect(fs.existsSync(pid), 'the embedded Postgres was left running').toBe(false);
    } finally {
      holder.close();
    }
  }, 40_000);

  it('DATABASE_URL cannot be reached (credentials masked)', async () => {
    const port = await closedPort();
    const r = await failedStart({ DATABASE_URL: `postgres://refrain:s3cret-pw@127.0.0.1:${port}/refrain` });
    expectClearFailure(r, 'Cannot reach DATABASE_URL', `postgres://refrain:***@127.0.0.1:${port}/refrain`, 'ECONNREFUSED');
    expect(r.output).not.toContain('s3cret-pw');
  }, 40_000);

  it('REDIS_URL cannot be reached (credentials masked)', async () => {
    const port = await closedPort();
    const r = await failedStart({ DATABASE_URL: db.url, REDIS_URL: `redis://:r3dis-pw@127.0.0.1:${port}` });
    expectClearFailure(r, 'Cannot reach REDIS_URL', `redis://:***@127.0.0.1:${port}`);
    expect(r.output).not.toContain('r3dis-pw');
  }, 40_000);

  it('DATA_DIR holds a cluster of another Postgres version', async () => {
    const dataDir = path.join(scratch, 'old-cluster');
    fs.mkdirSync(path.join(dataDir, 'pg'), { recursive: true });
    fs.writeFileSync(path.join(dataDir, 'pg', 'PG_VERSION'), '15\n');
    expectClearFailure(await failedStart({ DATA_DIR: dataDir }), 'made by Postgres 15', path.join(dataDir, 'pg'));
  }, 40_000);

  it('the disk holding DATA_DIR is full', async (ctx) => {
    if (!root) return ctx.skip(); // a tiny tmpfs needs mount privilege
    const dir = path.join(scratch, 'full');
    fs.mkdirSync(dir);
    try {
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=2m,mode=0755', 'refrain-full', dir], { stdio: 'ignore' });
      mounts.push(dir);
    } catch {
      return ctx.skip();
    }
    expectClearFailure(await failedStart({ DATA_DIR: dir }), 'is full');
  }, 40_000);
});
