import { describe, expect, it } from 'vitest';
import { parseCreateGeneration, type ClipView, type GenerationView } from '@refrain/contracts';
import { carryOnDraft, carryOnRequest, EMPTY_DRAFT, lyricsRequest, PLANS, shownFields, songRequest, type SongDraft } from '../src/app/requests';

const draft = (d: Partial<SongDraft>): SongDraft => ({ ...EMPTY_DRAFT, provider: 'sim', mv: 'chirp-v4', ...d });
const clip: ClipView = { id: 'clip-1', step: 0, status: 'complete', title: 'Night Train', tags: 'dream pop', lyrics: 'la', audio_url: 'http://x/a.wav', video_url: null, image_url: null, duration: 42.5, model: 'chirp-v4' };
const gen = { id: 'gen_1', provider: 'sim' } as GenerationView;
const provider = { name: 'sim', dialect: 'native' as const, operations: [], models: ['chirp-v4'], default_model: 'chirp-v3-5', default: true };

describe('the bodies the studio sends', () => {
  it('makes a description-mode song as one generate step', () => {
    const { body } = songRequest(draft({ description: 'a calm piano song', instrumental: true }));
    expect(body).toEqual({
      provider: 'sim',
      metadata: { source: 'studio', label: 'a calm piano song' },
      steps: [{ op: 'generate', gpt_description_prompt: 'a calm piano song', make_instrumental: true, mv: 'chirp-v4' }],
    });
  });

  it('makes a custom-mode song with lyrics, title, style and styles to avoid, leaving blanks out', () => {
    const { body } = songRequest(draft({ mode: 'custom', lyrics: '[Verse] hi', title: 'Hi', tags: 'pop', negative_tags: '' }));
    expect(body.steps).toEqual([{ op: 'generate', prompt: '[Verse] hi', title: 'Hi', tags: 'pop', mv: 'chirp-v4' }]);
  });

  it('sends no lyrics for an instrumental custom song', () => {
    const { body } = songRequest(draft({ mode: 'custom', lyrics: 'words', tags: 'ambient', instrumental: true }));
    expect(body.steps).toEqual([{ op: 'generate', tags: 'ambient', make_instrumental: true, mv: 'chirp-v4' }]);
  });

  it('sends every plan in a shape the API accepts', () => {
    for (const plan of PLANS) {
      const { body } = songRequest(draft({ plan, description: 'a song', idea: 'an idea', audio_url: 'https://example.com/a.mp3', continue_at: '12.5', cover_tags: 'folk' }));
      expect(parseCreateGeneration(body).success, plan).toBe(true);
    }
    expect(songRequest(draft({ plan: 'extend_full', description: 'x', continue_at: '12.5' })).body.input).toMatchObject({ continue_at: 12.5 });
    expect(songRequest(draft({ plan: 'lyrics_song', idea: 'trains' })).body).toMatchObject({ scenario: 'lyrics_song', input: { prompt: 'trains' } });
  });

  it('passes a number field typed wrong as typed, for the API to explain', () => {
    expect(songRequest(draft({ plan: 'extend_full', description: 'x', continue_at: 'soon' })).body.input).toMatchObject({ continue_at: 'soon' });
  });

  it('shows the fields of the chosen plan and mode', () => {
    expect(shownFields(draft({ mode: 'description' }))).toEqual(expect.arrayContaining(['description', 'instrumental']));
    expect(shownFields(draft({ mode: 'custom' }))).toEqual(expect.arrayContaining(['lyrics', 'title', 'tags', 'negative_tags']));
    expect(shownFields(draft({ plan: 'cover' }))).toEqual(expect.arrayContaining(['cover_tags', 'cover_title', 'cover_prompt']));
    expect(shownFields(draft({ plan: 'upload_extend' }))).toEqual(expect.arrayContaining(['audio_url', 'continue_at']));
  });

  it('asks the lyrics step alone for lyrics', () => {
    expect(lyricsRequest('the sea', 'sim').body.steps).toEqual([{ op: 'lyrics', prompt: 'the sea' }]);
  });

  it('carries on from a clip on its generation’s provider, naming the clip, with its model when the provider has it', () => {
    const d = carryOnDraft(clip);
    expect(d.continue_at).toBe('42');
    const extend = carryOnRequest('extend', gen, clip, { ...d, continue_at: '30', tags: 'strings' }, provider).body;
    expect(extend).toMatchObject({
      provider: 'sim',
      metadata: { from_generation: 'gen_1', from_clip: 'clip-1' },
      steps: [{ op: 'extend', continue_clip_id: 'clip-1', continue_at: 30, tags: 'strings', title: 'Night Train', mv: 'chirp-v4' }, { op: 'concat' }],
    });
    expect(carryOnRequest('extend', gen, clip, { ...d, then_concat: false }, provider).body.steps).toHaveLength(1);
    expect(carryOnRequest('replace_section', gen, clip, { ...d, infill_start_s: '5', infill_end_s: '9' }, provider).body.steps).toEqual([
      { op: 'replace_section', clip_id: 'clip-1', infill_start_s: 5, infill_end_s: 9, mv: 'chirp-v4' },
    ]);
    expect(carryOnRequest('stems', gen, clip, d, provider).body.steps).toEqual([{ op: 'stems', clip_id: 'clip-1' }]);
    expect(carryOnRequest('concat', gen, clip, d, provider).body.steps).toEqual([{ op: 'concat', clip_id: 'clip-1' }]);
    const otherModels = carryOnRequest('cover', gen, clip, d, { ...provider, models: ['chirp-v3-5'] }).body.steps as Record<string, unknown>[];
    expect(otherModels[0]).not.toHaveProperty('mv');
    for (const a of ['extend', 'cover', 'replace_section', 'stems', 'concat'] as const) {
      expect(parseCreateGeneration(carryOnRequest(a, gen, clip, d, provider).body).success, a).toBe(true);
    }
  });
});
