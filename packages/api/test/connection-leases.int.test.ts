import { EventEmitter } from 'node:events';
import { randomBytes } from 'node:crypto';
import type { Response } from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '@refrain/observability';
import { ConnectionCaps } from '../src/http/connection-caps';
import { HttpProblem } from '../src/http/problem';
import { startApi, type ApiFixture } from './support/api-fixture';

// The connection caps keep their counts in Redis as leases: a process that dies while
// holding connections must not leave the key over its cap for ever.
let f: ApiFixture;
beforeAll(async () => {
  f = await startApi();
});
afterAll(async () => {
  await f?.stop();
});

describe('slots in Redis outlive no process', () => {
  it('frees the slots of a process that died once their lease runs out', async () => {
    const redis = f.deps.kit.redis()!;
    const prefix = `t${randomBytes(5).toString('hex')}`;
    const logger = createLogger({ level: 'silent' });
    let now = Date.now();
    const caps = () => new ConnectionCaps({ perKey: 1, perTenant: 10, redis, redisPrefix: prefix, logger, now: () => now });
    const response = () => Object.assign(new EventEmitter(), { locals: { auth: { keyId: 'key_1', tenantId: 'alpha' } } }) as unknown as Response;
    try {
      await caps().hold(response()); // never closed: its process "died"
      await expect(caps().hold(response())).rejects.toBeInstanceOf(HttpProblem);
      now += 61_000;
      await expect(caps().hold(response())).resolves.toBeUndefined();
    } finally {
      const keys = await redis.keys(`${prefix}:*`);
      if (keys.length) await redis.del(...keys);
    }
  });
});
