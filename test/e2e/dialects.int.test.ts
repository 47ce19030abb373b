import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Dialect, GenerationView } from '@refrain/contracts';
import { startHarness, type Harness } from '../support/harness';

const DIALECTS: Dialect[] = ['native', 'gateway', 'relay', 'action'];

let h: Harness;
beforeAll(async () => {
  h = await startHarness({
    providers: (sim) => DIALECTS.map((d) => ({ name: d, dialect: d, base_url: sim, api_key: 'sim-key', poll_interval_ms: 200 })),
  });
});
afterAll(async () => {
  await h?.stop();
});

interface Described {
  name: string;
  dialect: Dialect;
  operations: string[];
  models: string[];
}

describe('every dialect through the whole system', () => {
  it('lists each provider with its dialect, operations and models', async () => {
    const r = await h.api<{ data: Described[] }>('/v1/providers');
    expect(r.status).toBe(200);
    const byName = Object.fromEntries(r.body.data.map((p) => [p.name, p]));
    expect(byName.native!.operations).toEqual(expect.arrayContaining(['generate', 'extend', 'upload', 'concat', 'cover', 'replace_section', 'stems', 'persona', 'lyrics']));
    expect(byName.gateway!.operations.sort()).toEqual(['extend', 'generate', 'lyrics']);
    expect(byName.relay!.operations.sort()).toEqual(['extend', 'generate', 'lyrics']);
    expect(byName.action!.operations).not.toContain('lyrics');
    for (const p of r.body.data) expect(p.models.length).toBeGreaterThan(0);
  });

  it('reports credits where the dialect can tell, and says so where it cannot', async () => {
    const gw = await h.api<{ songs_left: number }>('/v1/providers/gateway/credits');
    expect(gw.status).toBe(200);
    expect(typeof gw.body.songs_left).toBe('number');
    const native = await h.api('/v1/providers/native/credits');
    expect(native.status).toBe(422);
    expect((await h.api('/v1/providers/nope/credits')).status).toBe(404);
  });

  for (const dialect of DIALECTS) {
    it(`runs a description-mode and a custom-mode generation through ${dialect}`, async () => {
      const desc = await h.api<GenerationView>('/v1/generations', {
        body: { provider: dialect, steps: [{ op: 'generate', gpt_description_prompt: `a ${dialect} description song` }] },
      });
      const custom = await h.api<GenerationView>('/v1/generations', {
        body: { provider: dialect, steps: [{ op: 'generate', prompt: `[Verse]\n${dialect} words`, title: `${dialect} title`, tags: 'pop' }] },
      });
      expect(desc.status).toBe(202);
      expect(custom.status).toBe(202);
      for (const id of [desc.body.id, custom.body.id]) {
        const g = await h.waitFinal(id);
        expect(g.status, JSON.stringify(g.error)).toBe('succeeded');
        expect(g.provider).toBe(dialect);
        expect(g.clips.length).toBeGreaterThanOrEqual(1);
        expect(g.clips.every((c) => c.status === 'complete' && c.audio_url)).toBe(true);
      }
    });
  }

  it('continues a clip (generate → extend) on every dialect, relay carrying the original task_id', async () => {
    for (const dialect of DIALECTS) {
      const r = await h.api<GenerationView>('/v1/generations', {
        body: { provider: dialect, steps: [{ op: 'generate', gpt_description_prompt: `${dialect} to extend` }, { op: 'extend', continue_at: 12 }] },
      });
      const g = await h.waitFinal(r.body.id);
      expect(g.status, `${dialect}: ${JSON.stringify(g.error)}`).toBe('succeeded');
      expect(g.steps[1]!.clip_ids.length).toBeGreaterThan(0);
    }
  });

  it('runs lyrics → generate on the dialects that offer lyrics', async () => {
    for (const dialect of ['native', 'gateway', 'relay']) {
      const r = await h.api<GenerationView>('/v1/generations', {
        body: { provider: dialect, scenario: 'lyrics_song', input: { prompt: `${dialect} lyrics idea`, tags: 'folk' } },
      });
      const g = await h.waitFinal(r.body.id);
      expect(g.status, `${dialect}: ${JSON.stringify(g.error)}`).toBe('succeeded');
      expect(g.steps[0]!.lyrics?.text).toBeTruthy();
    }
  });

  it('answers 422 naming the provider and the operation it lacks', async () => {
    const r = await h.api<{ detail: string; step: number }>('/v1/generations', {
      body: { provider: 'gateway', steps: [{ op: 'generate', gpt_description_prompt: 'x' }, { op: 'concat' }] },
    });
    expect(r.status).toBe(422);
    expect(r.body.step).toBe(1);
    expect(r.body.detail).toContain('provider "gateway" does not offer the operation "concat"');
  });

  it('completes an action submission that is already final without any status query', async () => {
    await fetch(`${h.sim.url}/_sim/config`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"durationMs":0}' });
    const r = await h.api<GenerationView>('/v1/generations', {
      body: { provider: 'action', steps: [{ op: 'generate', gpt_description_prompt: 'already final action song' }] },
    });
    const g = await h.waitFinal(r.body.id);
    expect(g.status).toBe('succeeded');
    const task = (await (await fetch(`${h.sim.url}/_sim/tasks/${g.steps[0]!.upstream_task_id}`)).json()) as { statusQueries: number };
    expect(task.statusQueries).toBe(0);
    await fetch(`${h.sim.url}/_sim/config`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"durationMs":300}' });
  });
});
