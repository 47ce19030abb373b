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

/** Continuing an uploaded clip needs the `-upload` model (seed 002). */
export function uploadModel(mv: string, uploaded: boolean | undefined): string {
  return uploaded && !mv.endsWith('-upload') ? `${mv}-upload` : mv;
}

export function nativeExtendBody(song: CustomSong, mv: string, clipId: string, f: StepFields, uploaded?: boolean) {
  return {
    ...nativeCustomBody(song, uploadModel(mv, uploaded)),
    continue_clip_id: clipId,
    continue_at: requireField(f.continue_at, 'continue_at', 'extend'),
  };
}

/** Suno web API: a cover is a generation with task "cover" and the clip it covers. */
export function nativeCoverBody(song: CustomSong, mv: string, clipId: string) {
  return { ...nativeCustomBody(song, mv), task: 'cover', cover_clip_id: clipId };
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
