/** 83.4 → "1:23". */
export function clock(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) return '–:––';
  const s = Math.max(0, Math.round(seconds));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

/** A span in milliseconds, in words: "0.8 s", "42 s", "3 min 5 s". */
export function span(ms: number): string {
  if (ms < 10_000) return `${(Math.max(0, ms) / 1000).toFixed(1)} s`;
  const s = Math.round(ms / 1000);
  return s < 60 ? `${s} s` : `${Math.floor(s / 60)} min ${s % 60} s`;
}

/** The local time of an ISO date, to the second. */
export function timeOf(iso: string | null | undefined): string {
  if (!iso) return '';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? '' : d.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit' });
}

/** "today 14:02" or the date, for the songs list. */
export function dayOf(iso: string, now = Date.now()): string {
  const d = new Date(iso);
  const sameDay = new Date(now).toDateString() === d.toDateString();
  return sameDay ? `today ${d.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })}` : d.toLocaleDateString();
}

/** A short form of an upstream id for people: the first 8 characters. */
export const shortId = (id: string): string => (id.length > 10 ? `${id.slice(0, 8)}…` : id);

/** A file name for a download: the title, made safe. */
export function fileName(title: string | null, id: string, type: string): string {
  const ext = /wav/.test(type) ? 'wav' : /mpeg|mp3/.test(type) ? 'mp3' : /mp4/.test(type) ? 'm4a' : /ogg/.test(type) ? 'ogg' : 'audio';
  const base = (title ?? '').replace(/[^\p{L}\p{N} _-]+/gu, '').trim().slice(0, 60) || id;
  return `${base}.${ext}`;
}
