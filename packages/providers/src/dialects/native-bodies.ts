import type { Song, StepFields } from '../step-input';
import { requireField } from '../step-input';

/** Suno's custom-mode body as seed 002 shows it: every edit field present, null when unused. */
export interface NativeCustomBody {
  prompt: string;
  tags: string;
  mv: string;
  title: string;
  negative_tags?: string;
  continue_clip_id: string | null;
  continue_at: number | null;
  infill_start_s: number | null;
  infill_end_s: number | null;
  [extra: string]: unknown;
}

type CustomSong = Extract<Song, { mode: 'custom' }>;

/** Seed 000's description-mode body. */
export function nativeDescriptionBody(song: Extract<Song, { mode: 'description' }>, mv: string) {
  return { gpt_description_prompt: song.description, mv, prompt: '', make_instrumental: song.instrumental };
}

export function nativeCustomBody(song: CustomSong, mv: string): NativeCustomBody {
  return {
    prompt: song.lyrics,
    tags: song.tags,
    mv,
    title: song.title,
    ...(song.negativeTags ? { negative_tags: song.negativeTags } : {}),
    continue_clip_id: null,
    continue_at: null,
    infill_start_s: null,
    infill_end_s: null,
  };
}

/** Seed 002's way to continue an upload, marked for deprecation: only these models have an `-upload` twin. */
export const UPLOAD_SUFFIX_MODELS: readonly string[] = ['chirp-v3-5', 'chirp-v4'];

/**
 * Continuing a clip. An uploaded one is `task: "upload_extend"` with the plain model
 * (the proxies' current way), or with option `native_upload_extend: "model_suffix"` the
 * `-upload` model of seed 002.
 */
export function nativeExtendBody(song: CustomSong, mv: string, clipId: string, f: StepFields, upload?: 'task' | 'model_suffix') {
  const base = {
    ...nativeCustomBody(song, upload === 'model_suffix' ? `${mv}-upload` : mv),
    continue_clip_id: clipId,
    continue_at: requireField(f.continue_at, 'continue_at', 'extend'),
  };
  return upload === 'task' ? { ...base, task: 'upload_extend' } : base;
}

/** Models that can cover, by Refrain model: the `-tau` twins of v3.5 and v4; newer ones cover as they are. */
export const COVER_MODELS: Readonly<Record<string, string>> = { 'chirp-v3-5': 'chirp-v3-5-tau', 'chirp-v4': 'chirp-v4-tau' };

/** Suno web API: a cover is a generation with task "cover", the clip it covers, and a cover-capable model. */
export function nativeCoverBody(song: CustomSong, mv: string, clipId: string) {
  return { ...nativeCustomBody(song, mv), task: 'cover', cover_clip_id: clipId };
}

/**
 * Stems through generate, as the proxies document it: `task: "gen_stem"`, the clip as
 * `continue_clip_id`, `stem_task: "two"` (vocals and instrumental), on `chirp-auk`.
 */
export function nativeStemsBody(clipId: string) {
  return {
    task: 'gen_stem',
    generation_type: 'TEXT',
    title: '',
    mv: 'chirp-auk',
    prompt: '',
    make_instrumental: true,
    continue_clip_id: clipId,
    continued_aligned_prompt: null,
    continue_at: null,
    stem_type_id: 91,
    stem_type_group_name: 'Two',
    stem_task: 'two',
  };
}

/** Suno web API: replacing a section is an "infill" between two times of the clip. */
export function nativeInfillBody(song: CustomSong, mv: string, clipId: string, f: StepFields) {
  return {
    ...nativeCustomBody(song, mv),
    task: 'infill',
    continue_clip_id: clipId,
    infill_start_s: requireField(f.infill_start_s, 'infill_start_s', 'replace_section'),
    infill_end_s: requireField(f.infill_end_s, 'infill_end_s', 'replace_section'),
  };
}

export function nativePersonaBody(song: CustomSong, mv: string, personaId: string, clipId: string | undefined) {
  return {
    ...nativeCustomBody(song, mv),
    task: 'artist_consistency',
    persona_id: personaId,
    ...(clipId ? { artist_clip_id: clipId } : {}),
  };
}
