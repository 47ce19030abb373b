import { spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '@refrain/cli';
import type { GenerationView } from '@refrain/contracts';
import { ADMIN_TOKEN, KEYS, startHarness, type Harness } from '../support/harness';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
let h: Harness;
let tmp: string;
beforeAll(async () => {
  h = await startHarness();
  tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'refrain-cli-'));
});
afterAll(async () => {
  await h?.stop();
  await fs.rm(tmp, { recursive: true, force: true });
});

/** The CLI as a user runs it: a separate process, output piped (so plain). */
function spawnCli(cmd: string, args: string[], env: Record<string, string> = {}) {
  return new Promise<{ code: number | null; out: string; err: string }>((resolve) => {
    const child = spawn(cmd, args, { cwd: ROOT, env: { ...process.env, REFRAIN_URL: h.url, REFRAIN_API_KEY: KEYS.alpha, ...env } });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('close', (code) => resolve({ code, out, err }));
  });
}

/** The CLI in-process, for the many cases where a process start would only cost time. */
async function cli(argv: string[], opts: { tty?: boolean; env?: Record<string, string> } = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const io = { out: (s: string) => out.push(s), err: (s: string) => err.push(s), tty: opts.tty ?? false, color: false, cwd: tmp };
  const code = await runCli(argv, io, { REFRAIN_URL: h.url, REFRAIN_API_KEY: KEYS.alpha, ...opts.env });
  return { code, out, err, text: out.join('\n') };
}

describe('the refrain CLI against the running system', () => {
  it('`pnpm refrain generate --wait` follows a song live and exits 0 when it succeeds', async () => {
    const r = await spawnCli('pnpm', ['-s', 'refrain', 'generate', '--description', 'a calm piano song about rain', '--wait']);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const lines = r.out.trim().split('\n');
    expect(lines, r.out).toContain('step 1 generate: submitting');
    expect(lines.some((l) => /^step 1 generate: waiting \(task \S+\)$/.test(l))).toBe(true);
    expect(lines.filter((l) => /^clip \S+ \(step 1\): complete$/.test(l))).toHaveLength(2);
    const audio = lines.filter((l) => l.startsWith('audio '));
    expect(audio).toHaveLength(2);
    const url = audio[0]!.split(' ').at(-1)!;
    expect((await fetch(url)).headers.get('content-type')).toMatch(/^audio\//);
    expect(lines.some((l) => /^final gen_\S+ succeeded in [\d.]+ s$/.test(l))).toBe(true);
  });

  it('the package bin runs too, and prints plain rows when piped', async () => {
    const r = await spawnCli(process.execPath, ['packages/cli/bin/refrain.js', 'list', '--limit', '5']);
    expect(r.code).toBe(0);
    expect(r.out.trim().split('\n')[0]).toMatch(/^gen_\S+\tsucceeded\tgenerate\t2\t\d{4}-/);
  });

  it('generate in custom mode with --wait --json prints the final generation as the API returns it', async () => {
    const r = await cli(['generate', '--lyrics', '[Verse]\nHello CLI', '--title', 'CLI Song', '--tags', 'indie pop', '--model', 'chirp-v3-5', '--wait', '--json']);
    expect(r.code).toBe(0);
    const g = JSON.parse(r.text) as GenerationView;
    expect(g.status).toBe('succeeded');
    expect(g.clips[0]!.title).toBe('CLI Song');
    const same = await h.api<GenerationView>(`/v1/generations/${g.id}`);
    expect(g).toEqual(same.body);
    const got = await cli(['get', g.id, '--json']);
    expect(JSON.parse(got.text)).toEqual(same.body);
  });

  it('run <file> submits a scenario; watch follows it over SSE with event ids', async () => {
    const file = path.join(tmp, 'extend.json');
    await fs.writeFile(file, JSON.stringify({ scenario: 'extend_full', input: { gpt_description_prompt: 'a night drive', continue_at: 10 } }));
    const submitted = await cli(['run', 'extend.json']);
    expect(submitted.code).toBe(0);
    const id = submitted.text.trim();
    expect(id).toMatch(/^gen_/);
    const watched = await cli(['watch', id, '--json']);
    expect(watched.code).toBe(0);
    const events = watched.out.map((l) => JSON.parse(l) as { id: string | null; event: string; data: Record<string, unknown> });
    const live = events.filter((e) => e.event !== 'final');
    expect(live.length).toBeGreaterThan(5);
    expect(live.every((e) => e.id !== null && /^\d+$/.test(e.id))).toBe(true);
    expect(new Set(live.filter((e) => e.event === 'step').map((e) => e.data.index))).toEqual(new Set([0, 1, 2]));
    expect(live.at(-1)).toMatchObject({ event: 'generation', data: { status: 'succeeded' } });
    expect(events.at(-1)).toMatchObject({ event: 'final', data: { id, status: 'succeeded' } });

    // On a terminal: one bar per step, redrawn in place as it moves, the audio URLs at the end.
    const again = (await cli(['run', 'extend.json'])).text.trim();
    const tty = await cli(['watch', again], { tty: true });
    expect(tty.code).toBe(0);
    expect(tty.out.filter((l) => l.includes('\x1b[') && l.includes('A\x1b[0J')).length).toBeGreaterThan(2);
    expect(tty.out.some((l) => /\[█{10}░{10}\]\s+1 generate\s+waiting/.test(l))).toBe(true);
    const bars = tty.out.filter((l) => /^\s+\[[█░]{20}\]/.test(l));
    expect(bars.slice(-3).every((l) => /\[█{20}\]\s+\d (generate|extend|concat)\s+succeeded/.test(l))).toBe(true);
    expect(tty.out.some((l) => l.includes('★ step 3'))).toBe(true);
  });

  it('--wait exits non-zero when the generation fails, with the upstream\'s words', async () => {
    const r = await cli(['generate', '--description', 'doomed [sim:error]', '--wait']);
    expect(r.code).toBe(1);
    expect(r.out.some((l) => /^final gen_\S+ failed/.test(l))).toBe(true);
    expect(r.out.some((l) => l.includes('error (step 1'))).toBe(true);
    const file = path.join(tmp, 'doomed.json');
    await fs.writeFile(file, JSON.stringify([{ op: 'generate', gpt_description_prompt: 'doomed too [sim:error]' }]));
    const json = await cli(['run', file, '--wait', '--json']);
    expect(json.code).toBe(1);
    expect(JSON.parse(json.text)).toMatchObject({ status: 'failed', error: { step: 0 } });
  });

  it('download saves every finished clip\'s audio', async () => {
    const list = await cli(['list', '--status', 'succeeded', '--limit', '1']);
    const id = list.out[0]!.split('\t')[0]!;
    const r = await cli(['download', id, 'songs']);
    expect(r.code).toBe(0);
    expect(r.out.length).toBeGreaterThanOrEqual(2);
    for (const file of r.out) {
      expect(path.dirname(file)).toBe(path.join(tmp, 'songs'));
      const bytes = await fs.readFile(file);
      expect(bytes.subarray(0, 4).toString()).toBe('RIFF');
      expect(bytes.length).toBeGreaterThan(10_000);
    }
  });

  it('keys create, list and revoke a tenant\'s key with the admin token', async () => {
    const admin = { env: { ADMIN_TOKEN } };
    const human = await cli(['keys', 'create', '--tenant', 'gamma', '--name', 'cli human'], admin);
    expect(human.code).toBe(0);
    expect(human.text).toMatch(/^ {2}rk_\S+$/m);
    const created = await cli(['keys', 'create', 'gamma', '--name', 'cli test', '--json'], admin);
    expect(created.code).toBe(0);
    const { key, id } = JSON.parse(created.text) as { key: string; id: string };
    expect((await cli(['list'], { env: { REFRAIN_API_KEY: key } })).code).toBe(0);

    const listed = await cli(['keys', 'list', '--tenant', 'gamma', '--json'], admin);
    const keys = JSON.parse(listed.text) as { id: string; name: string; revoked_at: string | null }[];
    expect(keys.map((k) => k.name).sort()).toEqual(['cli human', 'cli test']);
    expect(keys.find((k) => k.id === id)!.revoked_at).toBeNull();
    expect(listed.text).not.toContain(key);

    const revoked = await cli(['keys', 'revoke', id], admin);
    expect(revoked.code).toBe(0);
    expect(revoked.text).toContain(`Revoked ${id}`);
    const refused = await cli(['list'], { env: { REFRAIN_API_KEY: key } });
    expect(refused.code).toBe(1);
    expect(refused.err.join('')).toContain('HTTP 401');
    const wrong = await cli(['keys', 'list'], { env: { ADMIN_TOKEN: 'wrong-token-0123456789' } });
    expect(wrong.code).toBe(1);
    expect(wrong.err.join('')).toContain('ADMIN_TOKEN');
  });
});
