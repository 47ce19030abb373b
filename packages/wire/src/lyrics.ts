/** A lyrics task as the dialects show it. */

export type WireLyricsStatus = 'running' | 'complete' | 'error';

export interface WireLyrics {
  id: string;
  status: WireLyricsStatus;
  title: string;
  text: string;
  errorMessage: string | null;
}

/** Suno's lyrics answer (native, seed 001's gateway shape): text only once complete, error_message when failed. */
export function lyricsView(l: WireLyrics): { status: string; title: string; text: string; error_message?: string } {
  if (l.status === 'complete') return { status: 'complete', title: l.title, text: l.text };
  if (l.status === 'error') return { status: 'error', title: '', text: '', error_message: l.errorMessage ?? 'lyrics failed' };
  return { status: 'running', title: '', text: '' };
}

/**
 * The gateway's live lyrics answer, `{user_id, text, id, title, lyrics_id}`: no status,
 * text present means done (a failure still says `status: "error"`). Seed 001's shape is `lyricsView`.
 */
export function gatewayLyricsBare(l: WireLyrics, userId: string): Record<string, unknown> {
  if (l.status === 'error') return { user_id: userId, id: l.id, lyrics_id: l.id, status: 'error', error_message: l.errorMessage ?? 'lyrics failed' };
  const done = l.status === 'complete';
  return { user_id: userId, text: done ? l.text : '', id: l.id, title: done ? l.title : '', lyrics_id: l.id };
}
