import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiKeyView } from '@refrain/contracts';
import { parseArgs, runKeysCommand } from '../src/cli/keys';
import { ADMIN_TOKEN, startApi, type ApiFixture } from './support/api-fixture';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
let f: ApiFixture;
beforeAll(async () => {
  f = await startApi();
});
afterAll(async () => {
  await f?.stop();
});

async function run(argv: string[], adminToken = ADMIN_TOKEN) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runKeysCommand(argv, { url: f.url, adminToken, out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('keys command', () => {
  it('creates a key (shown once), lists it without the key, revokes it', async () => {
    const created = await run(['create', 'acme', '--name', 'ci bot']);
    expect(created.code).toBe(0);
    const key = /\n {2}(rk_\S+)\n/.exec(created.out)![1]!;
    expect(created.out).toContain('shown this once');
    expect((await f.request('/v1/generations', { key })).status).toBe(200);

    const listed = await run(['list', '--tenant', 'acme']);
    expect(listed.code).toBe(0);
    expect(listed.out).toMatch(/ID\s+TENANT\s+PREFIX\s+NAME/);
    expect(listed.out).toContain('ci bot');
    expect(listed.out).toContain('active');
    expect(listed.out).not.toContain(key);

    const [row] = JSON.parse((await run(['list', '--tenant=acme', '--json'])).out) as ApiKeyView[];
    const revoked = await run(['revoke', row!.id]);
    expect(revoked.code).toBe(0);
    expect((await f.request('/v1/generations', { key })).status).toBe(401);
    expect((await run(['list', '--tenant', 'acme'])).out).toContain('revoked');
  });

  it('prints JSON for scripts', async () => {
    const created = JSON.parse((await run(['create', 'json-co', '--json'])).out) as { key: string; tenant: string };
    expect(created.tenant).toBe('json-co');
    expect(created.key).toMatch(/^rk_/);
  });

  it('explains usage errors (exit 2) and refusals (exit 1)', async () => {
    let downErr = '';
    expect((await run([])).code).toBe(2);
    expect((await run(['create'])).code).toBe(2);
    expect((await run(['revoke'])).code).toBe(2);
    expect((await run(['frobnicate'])).err).toContain('Unknown command');
    const refused = await run(['list'], 'not-the-admin-token');
    expect(refused.code).toBe(1);
    expect(refused.err).toMatch(/refused.*ADMIN_TOKEN/);
    const missing = await run(['revoke', 'key_nope']);
    expect(missing.code).toBe(1);
    expect(missing.err).toContain('404');
    const down = await runKeysCommand(['list'], { url: 'http://127.0.0.1:9', adminToken: ADMIN_TOKEN, out: () => {}, err: (l) => (downErr = l) });
    expect(down).toBe(1);
    expect(downErr).toMatch(/cannot reach Refrain at http:\/\/127\.0\.0\.1:9/);
    const bad = await run(['create', 'bad tenant']);
    expect(bad.code).toBe(1);
    expect(bad.err).toContain('400');
  });

  it('parses flags with and without =', () => {
    expect(parseArgs(['create', 't', '--name=x y', '--json'])).toEqual({ command: 'create', args: ['t'], flags: { name: 'x y', json: true } });
    expect(parseArgs(['list', '--tenant', 't'])).toEqual({ command: 'list', args: [], flags: { tenant: 't' } });
  });

  it('runs as `pnpm keys`, configured by REFRAIN_URL and ADMIN_TOKEN', async () => {
    const exec = promisify(execFile);
    const env = { ...process.env, REFRAIN_URL: f.url, ADMIN_TOKEN };
    const { stdout } = await exec('pnpm', ['--silent', 'keys', 'create', 'script-co', '--name', 'from pnpm'], { cwd: ROOT, env });
    expect(stdout).toMatch(/API key for tenant "script-co"/);
    const list = await exec('pnpm', ['--silent', 'keys', 'list', '--tenant', 'script-co'], { cwd: ROOT, env });
    expect(list.stdout).toContain('from pnpm');
    const refused = await exec('pnpm', ['--silent', 'keys', 'list'], { cwd: ROOT, env: { ...env, ADMIN_TOKEN: 'wrong-token' } }).catch((e: { code: number; stderr: string }) => e);
    expect((refused as { code: number }).code).toBe(1);
  }, 60_000);
});
