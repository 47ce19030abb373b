import { describe, expect, it } from 'vitest';
import { createGenerationRequest, OPS } from '@refrain/contracts';
import { expandScenario, planGeneration } from '../src';

const everything = { name: 'sim', operations: OPS, models: ['chirp-v3-5', 'chirp-v4'] };
const plan = (body: unknown, provider = everything) => planGeneration(createGenerationRequest.parse(body), provider);

describe('planGeneration', () => {
  it('plans a description-mode and a custom-mode generate', () => {
    expect(plan({ steps: [{ op: 'generate', gpt_description_prompt: 'rain' }] }).steps).toEqual([
      { index: 0, op: 'generate', input: { op: 'generate', gpt_description_prompt: 'rain' } },
    ]);
    const custom = plan({ steps: [{ op: 'generate', prompt: '', tags: 'ambient', title: 'Calm' }] });
    expect(custom.steps[0]!.input).toMatchObject({ prompt: '', tags: 'ambient' });
  });

  it('expands each named scenario into its steps', () => {
    expect(plan({ scenario: 'extend_full', input: { gpt_description_prompt: 'x', continue_at: 12 } }).steps.map((s) => s.op)).toEqual([
      'generate',
      'extend',
      'concat',
    ]);
    expect(expandScenario('upload_extend', { audio_url: 'https://a.example/x.mp3', continue_at: 5 }).map((s) => s.op)).toEqual(['upload', 'extend']);
    const cover = expandScenario('cover', { gpt_description_prompt: 'x', tags: 'rock', cover_tags: 'jazz' });
    expect(cover[0]).toMatchObject({ op: 'generate', tags: 'rock' });
    expect(cover[1]).toMatchObject({ op: 'cover', tags: 'jazz' });
    const lyricsSong = expandScenario('lyrics_song', { prompt: 'a song about tea', tags: 'folk' });
    expect(lyricsSong).toEqual([
      { op: 'lyrics', prompt: 'a song about tea' },
      { op: 'generate', tags: 'folk' },
    ]);
  });

  it('lets generate follow lyrics without a prompt', () => {
    const p = plan({ steps: [{ op: 'lyrics', prompt: 'tea' }, { op: 'generate' }] });
    expect(p.steps.map((s) => s.op)).toEqual(['lyrics', 'generate']);
  });

  it('gives a scenario\'s upstream extras to the steps that make songs', () => {
    const upstream = { vocal_gender: 'f', style_weight: 0.7 };
    const p = plan({ scenario: 'extend_full', input: { gpt_description_prompt: 'x', upstream } });
    expect(p.steps.map((s) => ('upstream' in s.input ? s.input.upstream : undefined))).toEqual([upstream, upstream, undefined]);
    const steps = plan({ steps: [{ op: 'generate', prompt: 'x', upstream }] });
    expect(steps.steps[0]?.input).toMatchObject({ upstream });
  });
});
