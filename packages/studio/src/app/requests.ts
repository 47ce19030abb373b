import type { ClipView, GenerationView, Op, ProviderInfo } from './types';

/** What the "Make a song" form makes. `song` is one generate step; the rest are the API's named scenarios. */
export const PLANS = ['song', 'extend_full', 'cover', 'lyrics_song', 'upload_extend'] as const;
export type Plan = (typeof PLANS)[number];

export const PLAN_LABELS: Record<Plan, string> = {
  song: 'One song',
  extend_full: 'A longer song: make, extend and join',
  cover: 'A song and a cover of it in another style',
  lyrics_song: 'Lyrics first, then the song',
  upload_extend: 'Continue a song from an audio file',
};

/** The operations each plan needs, to offer only what the chosen provider can do. */
export const PLAN_OPS: Record<Plan, Op[]> = {
  song: ['generate'],
  extend_full: ['generate', 'extend', 'concat'],
  cover: ['generate', 'cover'],
  lyrics_song: ['lyrics', 'generate'],
  upload_extend: ['upload', 'extend'],
};

export type Mode = 'description' | 'custom';

export interface SongDraft {
  mode: Mode;
  plan: Plan;
  description: string;
  instrumental: boolean;
  lyrics: string;
  title: string;
  tags: string;
  negative_tags: string;
  provider: string;
  mv: string;
  continue_at: string;
  audio_url: string;
  cover_tags: string;
  cover_title: string;
  cover_prompt: string;
  idea: string;
}

export const EMPTY_DRAFT: SongDraft = {
  mode: 'description', plan: 'song', description: '', instrumental: false, lyrics: '', title: '', tags: '', negative_tags: '',
  provider: '', mv: '', continue_at: '30', audio_url: '', cover_tags: '', cover_title: '', cover_prompt: '', idea: '',
};

/** The form fields a draft shows: errors for other fields go to the form's general message. */
export function shownFields(d: SongDraft): string[] {
  const fields = ['provider', 'mv', 'plan'];
  if (d.plan === 'lyrics_song') fields.push('idea', 'title', 'tags', 'negative_tags');
  else if (d.plan === 'upload_extend') fields.push('audio_url', 'continue_at', 'lyrics', 'title', 'tags');
  else if (d.mode === 'description') fields.push('description', 'instrumental');
  else fields.push('lyrics', 'title', 'tags', 'negative_tags', 'instrumental');
  if (d.plan === 'extend_full') fields.push('continue_at');
  if (d.plan === 'cover') fields.push('cover_tags', 'cover_title', 'cover_prompt');
  return fields;
}

/** Blank stays out of the request; a number field goes as a number, or as typed for the API to explain. */
const text = (v: string): string | undefined => (v.trim() === '' ? undefined : v);
function num(v: string): number | string | undefined {
  if (v.trim() === '') return undefined;
  const n = Number(v);
  return Number.isFinite(n) ? n : v;
}
function compact(o: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined && v !== false));
}

export interface BuiltRequest {
  body: Record<string, unknown>;
  /** API field name → the form field it belongs to. */
  alias: Record<string, string>;
}

/** The POST /v1/generations body for a draft of the "Make a song" form. */
export function songRequest(d: SongDraft): BuiltRequest {
  const label = (d.plan === 'lyrics_song' ? d.idea : d.mode === 'description' && d.plan !== 'upload_extend' ? d.description : d.title).trim().slice(0, 120);
  const common = compact({ provider: text(d.provider), metadata: { source: 'studio', ...(label ? { label } : {}) } });
  const alias: Record<string, string> = { gpt_description_prompt: 'description', prompt: 'lyrics', make_instrumental: 'instrumental' };
  const song =
    d.mode === 'description'
      ? { gpt_description_prompt: d.description, make_instrumental: d.instrumental }
      : { prompt: d.instrumental ? undefined : text(d.lyrics), title: text(d.title), tags: text(d.tags), negative_tags: text(d.negative_tags), make_instrumental: d.instrumental };
  const mv = text(d.mv);
  switch (d.plan) {
    case 'song':
      return { body: { ...common, steps: [compact({ op: 'generate', ...song, mv })] }, alias };
    case 'extend_full':
      return { body: { ...common, scenario: 'extend_full', input: compact({ ...song, mv, continue_at: num(d.continue_at) }) }, alias };
    case 'cover':
      return {
        body: { ...common, scenario: 'cover', input: compact({ ...song, mv, cover_tags: text(d.cover_tags), cover_title: text(d.cover_title), cover_prompt: text(d.cover_prompt) }) },
        alias,
      };
    case 'lyrics_song':
      return {
        body: { ...common, scenario: 'lyrics_song', input: compact({ prompt: d.idea, title: text(d.title), tags: text(d.tags), negative_tags: text(d.negative_tags), mv }) },
        alias: { prompt: 'idea' },
      };
    case 'upload_extend':
      return {
        body: { ...common, scenario: 'upload_extend', input: compact({ audio_url: d.audio_url, continue_at: num(d.continue_at), prompt: text(d.lyrics), title: text(d.title), tags: text(d.tags), mv }) },
        alias: { prompt: 'lyrics' },
      };
    default: {
      const never: never = d.plan;
      throw new Error(`unknown plan ${String(never)}`);
    }
  }
}

/** The body of a `lyrics` step alone: "Write lyrics for me". */
export const lyricsRequest = (idea: string, provider: string): BuiltRequest => ({
  body: compact({ provider: text(provider), steps: [{ op: 'lyrics', prompt: idea }], metadata: { source: 'studio', label: `Lyrics: ${idea.trim().slice(0, 100)}` } }),
  alias: { prompt: 'idea' },
});

/** What can be done with a clip, each a new generation on the clip's provider. */
export const CARRY_ON = ['extend', 'cover', 'replace_section', 'stems', 'concat'] as const;
export type CarryOn = (typeof CARRY_ON)[number];

export const CARRY_ON_LABELS: Record<CarryOn, string> = {
  extend: 'Extend',
  cover: 'Cover',
  replace_section: 'Replace a section',
  stems: 'Stems',
  concat: 'Whole song',
};

/** How a generation made from a clip is named in the list: "Night Train (cover)". */
const CARRY_ON_WORDS: Record<CarryOn, string> = {
  extend: 'extended',
  cover: 'cover',
  replace_section: 'section replaced',
  stems: 'stems',
  concat: 'whole song',
};

export interface CarryOnDraft {
  continue_at: string;
  then_concat: boolean;
  tags: string;
  title: string;
  prompt: string;
  infill_start_s: string;
  infill_end_s: string;
}

export function carryOnDraft(clip: ClipView): CarryOnDraft {
  const d = clip.duration ?? 0;
  return {
    continue_at: String(Math.floor(d)),
    then_concat: true,
    tags: '',
    title: clip.title ?? '',
    prompt: '',
    infill_start_s: String(Math.floor(d / 3)),
    infill_end_s: String(Math.floor((2 * d) / 3)),
  };
}

/** The form fields each action shows. */
export const CARRY_ON_FIELDS: Record<CarryOn, string[]> = {
  extend: ['continue_at', 'tags', 'title', 'prompt'],
  cover: ['tags', 'title', 'prompt'],
  replace_section: ['infill_start_s', 'infill_end_s', 'tags', 'prompt'],
  stems: [],
  concat: [],
};

/** The body that starts `action` from `clip` of generation `g`: a new generation on the same provider. */
export function carryOnRequest(action: CarryOn, g: GenerationView, clip: ClipView, d: CarryOnDraft, provider: ProviderInfo | undefined): BuiltRequest {
  const mv = clip.model && provider?.models.includes(clip.model) ? clip.model : undefined;
  const song = { tags: text(d.tags), title: text(d.title), prompt: text(d.prompt) };
  const what = action === 'extend' && d.then_concat ? 'extended, whole song' : CARRY_ON_WORDS[action];
  const base = `${clip.title ?? clip.id} (${what})`.slice(0, 120);
  const common = { provider: g.provider, metadata: { source: 'studio', label: base, from_generation: g.id, from_clip: clip.id } };
  const step = (): Record<string, unknown> => {
    switch (action) {
      case 'extend':
        return compact({ op: 'extend', continue_clip_id: clip.id, continue_at: num(d.continue_at), ...song, mv });
      case 'cover':
        return compact({ op: 'cover', clip_id: clip.id, ...song, mv });
      case 'replace_section':
        return compact({ op: 'replace_section', clip_id: clip.id, infill_start_s: num(d.infill_start_s), infill_end_s: num(d.infill_end_s), tags: song.tags, prompt: song.prompt, mv });
      case 'stems':
        return { op: 'stems', clip_id: clip.id };
      case 'concat':
        return { op: 'concat', clip_id: clip.id };
      default: {
        const never: never = action;
        throw new Error(`unknown action ${String(never)}`);
      }
    }
  };
  const steps = [step(), ...(action === 'extend' && d.then_concat ? [{ op: 'concat' }] : [])];
  return { body: { ...common, steps }, alias: {} };
}
