import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  applyTaskUpdates,
  connectDatabase,
  createGeneration,
  createTestDatabase,
  ensureTenant,
  loadGeneration,
  runMigrations,
  type Database,
  type RefusedClip,
  type TaskUpdate,
} from '../src';
import { ADMIN_URL } from './env';

// Issue #17, finding 2, where Postgres decides: a clip belongs to the step that first
// recorded it, whatever path (poll or callback) names it later.
let database: Database;
let drop: () => Promise<void>;
beforeAll(async () => {
  const t = await createTestDatabase(ADMIN_URL);
  drop = t.drop;
  database = connectDatabase(t.url);
  await runMigrations(database.db);
});
afterAll(async () => {
  await database?.close();
  await drop?.().catch(() => {});
});

/** A generation of `tenant` whose one step waits on upstream task `taskId`. */
async function waitingOn(tenant: string, taskId: string): Promise<string> {
  await ensureTenant(database.db, tenant);
  const g = await createGeneration(database.db, {
    tenantId: tenant,
    provider: 'relay',
    scenario: null,
    metadata: {},
    callbackUrl: null,
    webhookEvents: [],
    steps: [{ index: 0, op: 'generate', input: { op: 'generate', gpt_description_prompt: 'x' } }],
  } as never);
  await database.pool.query(`update steps set status = 'waiting', upstream_task_id = $1, upstream_state = 'running' where generation_id = $2`, [taskId, g.id]);
  return g.id;
}

const clip = (id: string, status: 'streaming' | 'complete', audio: string, title = 'real') =>
  ({ id, status, audio_url: audio, title }) as TaskUpdate['clips'][number];

describe('clip ownership', () => {
  it("refuses an update that names another step's clip, and keeps it out of the step's clip ids", async () => {
    const victim = await waitingOn('beta', 'task-victim');
    const attacker = await waitingOn('alpha', 'task-attacker');
    await applyTaskUpdates(database.db, 'relay', [{ taskId: 'task-victim', state: 'running', clips: [clip('clip-v1', 'streaming', 'https://cdn.example/v1-stream.mp3')] }]);

    // The attacker's step has no clips yet, so only the database can tell this one is not its own.
    const refused: RefusedClip[] = [];
    const changes = await applyTaskUpdates(
      database.db,
      'relay',
      [{ taskId: 'task-attacker', state: 'complete', clips: [clip('clip-v1', 'complete', 'https://evil.example/x.mp3', 'pwned'), clip('clip-a1', 'complete', 'https://cdn.example/a1.mp3')] }],
      new Date(),
      refused,
    );
    expect(refused).toEqual([{ id: 'clip-v1', generationId: attacker, index: 0 }]);
    expect(changes.map((c) => c.generationId)).toEqual([attacker]);

    const v = await loadGeneration(database.db, victim);
    expect(v!.clips).toMatchObject([{ id: 'clip-v1', status: 'streaming', audio_url: 'https://cdn.example/v1-stream.mp3', title: 'real' }]);
    const a = await loadGeneration(database.db, attacker);
    expect(a!.steps[0]!.clip_ids).toEqual(['clip-a1']);
    expect(a!.clips.map((c) => c.id)).toEqual(['clip-a1']);

    // The victim's own result still lands.
    await applyTaskUpdates(database.db, 'relay', [{ taskId: 'task-victim', state: 'complete', clips: [clip('clip-v1', 'complete', 'https://cdn.example/v1.mp3')] }]);
    expect((await loadGeneration(database.db, victim))!.clips).toMatchObject([{ id: 'clip-v1', status: 'complete', audio_url: 'https://cdn.example/v1.mp3' }]);
  });
});
