import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../src';
import { captureIo, startFakeApi, type FakeApi } from './fake-api';

let api: FakeApi;
beforeAll(async () => {
  api = await startFakeApi();
});
afterAll(async () => {
  await api.close();
});

async function run(argv: string[], env: Record<string, string> = {}) {
  const cap = captureIo();
  const code = await runCli(argv, cap.io, { REFRAIN_URL: api.url, REFRAIN_API_KEY: 'good-key', ...env });
  return { code, out: cap.text(), err: cap.err.join('\n') };
}

describe('usage errors exit 2 and say what to do', () => {
  it('unknown command, unknown option, missing argument', async () => {
    expect(await run(['dance'])).toMatchObject({ code: 2, err: expect.stringContaining('Unknown command "dance"') });
    expect(await run(['list', '--colour'])).toMatchObject({ code: 2, err: expect.stringContaining("Unknown option '--colour'") });
    expect(await run(['get'])).toMatchObject({ code: 2, err: expect.stringContaining('Missing the generation id') });
    expect(await run(['keys'])).toMatchObject({ code: 2, err: expect.stringContaining('Missing create, list or revoke') });
    expect(await run(['keys', 'create'], { ADMIN_TOKEN: 'x'.repeat(20) })).toMatchObject({ code: 2, err: expect.stringContaining('--tenant') });
  });

  it('refuses mixed or empty generate modes before calling the server', async () => {
    const before = api.requests.length;
    expect(await run(['generate', '--description', 'x', '--lyrics', 'y'])).toMatchObject({ code: 2, err: expect.stringContaining('not both') });
    expect(await run(['generate'])).toMatchObject({ code: 2, err: expect.stringContaining('--description') });
    expect(await run(['generate', '--lyrics', 'la', '--instrumental'])).toMatchObject({ code: 2 });
    expect(await run(['run', '/no/such/file.json'])).toMatchObject({ code: 2, err: expect.stringContaining('Cannot read') });
    expect(api.requests.length).toBe(before);
  });

  it('needs an API key, and an admin token for keys', async () => {
    expect(await run(['list'], { REFRAIN_API_KEY: '' })).toMatchObject({ code: 2, err: expect.stringContaining('REFRAIN_API_KEY') });
    expect(await run(['keys', 'list'])).toMatchObject({ code: 2, err: expect.stringContaining('ADMIN_TOKEN') });
  });
});

describe('API errors exit 1 with the server\'s own words', () => {
  it('shows the problem detail and the zod issue path', async () => {
    const r = await run(['generate', '--description', 'x', '--model', 'chirp-v99']);
    expect(r.code).toBe(1);
    expect(r.err).toContain('HTTP 400');
    expect(r.err).toContain('steps.0.mv: unknown model');
  });

  it('says the key was refused', async () => {
    const r = await run(['get', 'gen_fake'], { REFRAIN_API_KEY: 'bad-key' });
    expect(r).toMatchObject({ code: 1, err: expect.stringContaining('not valid (unknown or revoked)') });
  });

  it('says where it tried when nothing answers', async () => {
    const r = await run(['list', '--url', 'http://127.0.0.1:9']);
    expect(r.code).toBe(1);
    expect(r.err).toContain('Cannot reach Refrain at http://127.0.0.1:9');
  });

  it('fails download when there is no finished audio', async () => {
    const fresh = await startFakeApi();
    const cap = captureIo();
    const code = await runCli(['download', 'gen_fake', '/tmp/never'], cap.io, { REFRAIN_URL: fresh.url, REFRAIN_API_KEY: 'good-key' });
    await fresh.close();
    expect(code).toBe(1);
    expect(cap.err.join('')).toContain('no finished audio');
  });
});
