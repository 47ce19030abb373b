import { afterEach, describe, expect, it } from 'vitest';
import { sparePort } from '../chaos/infra';
import { startApp, type AppProcess } from '../support/processes';

/**
 * A worker started with a wrong Redis configuration stops at once, or after a bounded
 * wait when nothing answers, with a message naming the variables and a non-zero exit.
 * Nothing listens on the addresses used here (ports the OS just handed out, closed again).
 */
let app: AppProcess | null = null;
afterEach(async () => {
  await app?.stop('SIGKILL');
  app = null;
});

async function run(env: Record<string, string>): Promise<{ code: number | null; output: string; ms: number }> {
  const started = Date.now();
  app = startApp('worker', { DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/postgres', LOG_LEVEL: 'warn', ...env });
  const code = await app.exited;
  return { code, output: app.output(), ms: Date.now() - started };
}

describe('Redis configuration errors at start', () => {
  it('refuses two Redis variables at once', async () => {
    const r = await run({ REDIS_URL: 'redis://127.0.0.1:6379', REDIS_CLUSTER_NODES: '127.0.0.1:7000,127.0.0.1:7001' });
    expect(r.code).toBe(2);
    expect(r.output).toContain('Invalid configuration');
    expect(r.output).toContain('REDIS_URL and REDIS_CLUSTER_NODES are set together: set exactly one of REDIS_URL');
  });

  it('gives up on an unreachable sentinel list after a bounded wait, naming the sentinels, never the password', async () => {
    const ports = [await sparePort(), await sparePort()];
    const list = ports.map((p) => `127.0.0.1:${p}`).join(',');
    const r = await run({ REDIS_SENTINELS: list, REDIS_SENTINEL_NAME: 'mymaster', REDIS_PASSWORD: 'pw-not-to-be-printed' });
    expect(r.code).not.toBe(0);
    expect(r.code).not.toBeNull();
    expect(r.output).toContain(`Redis is not reachable: no sentinel of REDIS_SENTINELS=${list} (REDIS_SENTINEL_NAME=mymaster) led to a master within 10 s`);
    expect(r.output).not.toContain('pw-not-to-be-printed');
    expect(r.ms).toBeLessThan(45_000);
  }, 60_000);

  it('gives up on an unreachable cluster the same way', async () => {
    const list = `127.0.0.1:${await sparePort()}`;
    const r = await run({ REDIS_CLUSTER_NODES: list });
    expect(r.code).not.toBe(0);
    expect(r.code).not.toBeNull();
    expect(r.output).toContain(`Redis is not reachable: no node of REDIS_CLUSTER_NODES=${list} answered as a cluster within 10 s`);
  }, 60_000);
});
