import type { Song, StepFields } from '../step-input';
import { compact, requireField } from '../step-input';

/** Refrain op → the action dialect's `action` word (docs/providers.md, action). */
export const ACTION_WORDS = {
  generate: 'generate',
  extend: 'extend',
  upload: 'upload_generate',
  concat: 'concat',
  replace_section: 'replace_section',
  stems: 'stems',
  persona: 'artist_consistency',
  cover: 'cover',
} as const;
/** AceData's words for edits of an uploaded clip. */
export const UPLOAD_EXTEND = 'upload_extend';
export const UPLOAD_COVER = 'upload_cover';

type CustomSong = Extract<Song, { mode: 'custom' }>;

/** Seed 004's body: description mode is `custom: false` with the description as prompt. */
export function actionSongFields(song: Song, model: string): Record<string, unknown> {
  if (song.mode === 'description') {
    return { prompt: song.description, model, custom: false, instrumental: song.instrumental };
  }
  return customFields(song, model);
}

/**
 * Custom mode: lyrics in `lyric` (AceData answers 400 "lyric is required when generate
 * custom audio" otherwise), tags as `style`; no lyrics means `instrumental: true`.
 */
export function customFields(song: CustomSong, model: string): Record<string, unknown> {
  return compact({
    lyric: song.instrumental ? undefined : song.lyrics,
    model,
    custom: true,
    instrumental: song.instrumental,
    title: song.title || undefined,
    style: song.tags || undefined,
    style_negative: song.negativeTags || undefined,
  });
}

export function actionExtendFields(song: CustomSong, model: string, clipId: string, f: StepFields) {
  return { ...customFields(song, model), audio_id: clipId, continue_at: requireField(f.continue_at, 'continue_at', 'extend') };
}

/**
 * AceData's replace_section: `replace_section_start`/`_end` on the source's timeline,
 * `prompt` the section's new lyrics and `lyric` the lyrics around it (Refrain has one text
 * for both).
 */
export function actionInfillFields(song: CustomSong, model: string, clipId: string, f: StepFields) {
  return {
    ...customFields(song, model),
    ...(song.instrumental ? {} : { prompt: song.lyrics }),
    audio_id: clipId,
    replace_section_start: requireField(f.infill_start_s, 'infill_start_s', 'replace_section'),
    replace_section_end: requireField(f.infill_end_s, 'infill_end_s', 'replace_section'),
  };
}
