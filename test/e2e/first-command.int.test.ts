import { execFileSync, spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

// The README's first command as a newcomer runs it: a clone in a private (0700) folder,
// `pnpm install`, `pnpm demo` — twice, on the same data — then `pnpm start` lists the
// songs of both runs. As root (the embedded Postgres then runs as user postgres, which
// cannot reach the folder) and as a normal user. The clone is of the committed HEAD.
const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const root = process.getuid?.() === 0;
const NEWCOMER = 'refrain-newcomer';
const cleanups: (() => void)[] = [];
afterAll(() => {
  for (const c of cleanups.reverse()) c();
});

interface As {
  uid: number;
  gid: number;
}

function run(cmd: string, args: string[], cwd: string, opts: { as?: As; env?: Record<string, string>; timeoutMs?: number } = {}) {
  return new Promise<{ code: number | null; out: string }>((resolve) => {
    const child = spawn(cmd, args, {
      cwd,
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: opts.env?.HOME ?? os.homedir(), CI: 'true', ...opts.env },
      stdio: ['ignore', 'pipe', 'pipe'],
      ...(opts.as ? { uid: opts.as.uid, gid: opts.as.gid } : {}),
    });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 180_000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, out });
    });
  });
}

/** A fresh clone with its dependencies, from the pnpm store this machine already has (no network). */
async function cloneAndInstall(into: string): Promise<string> {
  const checkout = path.join(into, 'refrain');
  execFileSync('git', ['clone', '--quiet', REPO, checkout]);
  const install = await run('pnpm', ['install', '--frozen-lockfile', '--offline'], checkout);
  expect(install.code, install.out).toBe(0);
  return checkout;
}

/** The embedded cluster a DATA_DIR points to, when it lives outside it (root, private folder). */
function removeOutsideCluster(dataDir: string): void {
  try {
    const { cluster } = JSON.parse(fs.readFileSync(path.join(dataDir, 'embedded-postgres.json'), 'utf8')) as { cluster: string };
    if (path.isAbsolute(cluster) && !cluster.startsWith(dataDir)) fs.rmSync(cluster, { recursive: true, force: true });
  } catch {
    // nothing recorded
  }
}

async function demoTwiceThenList(checkout: string, as?: As, home?: string): Promise<void> {
  const env: Record<string, string> = home ? { HOME: home } : {};
  const first = await run('pnpm', ['demo'], checkout, { as, env });
  expect(first.code, first.out).toBe(0);
  const id1 = /generation (gen_\w+) succeeded/.exec(first.out)?.[1];
  expect(id1, first.out).toBeDefined();
  expect(first.out).toMatch(/★ step 2 .+ — http:\/\/127\.0\.0\.1:\d+\/audio\/\S+\.wav/); // the finished song and its audio URL
  expect(first.out).toMatch(/final audio: audio\/wav, \d+ bytes/);

  const second = await run('pnpm', ['demo'], checkout, { as, env });
  expect(second.code, second.out).toBe(0);
  expect(second.out).toContain(`this DATA_DIR already holds 1 generation(s), the newest ${id1}`);
  const id2 = /generation (gen_\w+) succeeded/.exec(second.out)?.[1];

  // `pnpm start` on the same DATA_DIR: GET /v1/generations lists both runs' songs.
  const start = spawn('pnpm', ['start'], {
    cwd: checkout,
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: home ?? os.homedir(), CI: 'true', PORT: '0', LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
    ...(as ? { uid: as.uid, gid: as.gid } : {}),
  });
  let out = '';
  start.stdout.on('data', (d) => (out += d));
  start.stderr.on('data', (d) => (out += d));
  try {
    const until = Date.now() + 120_000;
    while (!/Refrain is running at (http:\S+)/.test(out)) {
      if (Date.now() > until || start.exitCode !== null) throw new Error(`pnpm start did not come up:\n${out}`);
      await new Promise((r) => setTimeout(r, 200));
    }
    const url = /Refrain is running at (http:\S+)/.exec(out)![1]!;
    const key = /API key\s+(\S+)/.exec(out)![1]!;
    const res = await fetch(`${url}/v1/generations?limit=100`, { headers: { authorization: `Bearer ${key}` } });
    const ids = ((await res.json()) as { data: { id: string }[] }).data.map((g) => g.id);
    expect(ids).toEqual(expect.arrayContaining([id1, id2]));
  } finally {
    const exited = new Promise((r) => start.once('exit', r));
    process.kill(-start.pid!, 'SIGTERM'); // pnpm and the node process under it
    await exited;
  }
}

describe('the first command works for everyone', () => {
  it.skipIf(!root)('as root, from a clone in a private (0700) folder: pnpm install && pnpm demo, twice, on the same data', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'refrain-newcomer-root-'));
    expect(fs.statSync(dir).mode & 0o777).toBe(0o700);
    const checkout = await cloneAndInstall(dir);
    cleanups.push(() => {
      removeOutsideCluster(path.join(checkout, '.data'));
      fs.rmSync(dir, { recursive: true, force: true });
    });
    await demoTwiceThenList(checkout);
  }, 600_000);

  it('as a normal user, from a private folder of theirs', async (ctx) => {
    let as: As | undefined;
    if (root) {
      const exists = spawnSync('id', ['-u', NEWCOMER]).status === 0;
      if (!exists && spawnSync('useradd', ['--no-create-home', '--shell', '/bin/sh', NEWCOMER]).status !== 0) {
        console.log(`skipped: could not create the user ${NEWCOMER} to run as`);
        return ctx.skip();
      }
      if (!exists) cleanups.push(() => void spawnSync('userdel', [NEWCOMER]));
      const id = (flag: string) => Number(execFileSync('id', [flag, NEWCOMER], { encoding: 'utf8' }));
      as = { uid: id('-u'), gid: id('-g') };
    }
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'refrain-newcomer-user-'));
    cleanups.push(() => fs.rmSync(dir, { recursive: true, force: true }));
    // Root prepares the checkout (the user cannot read a repository in root's private folder,
    // and the pnpm store is root's); the user owns the folder and the checkout's top, where DATA_DIR goes.
    const checkout = await cloneAndInstall(dir);
    if (as) {
      fs.chownSync(dir, as.uid, as.gid);
      fs.chownSync(checkout, as.uid, as.gid);
    }
    await demoTwiceThenList(checkout, as, dir);
  }, 600_000);
});
