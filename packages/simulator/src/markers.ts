import { MAX_DURATION_MS } from './config';

/**
 * Per-request behaviour markers. A test puts one in any string field of a submission
 * (prompt, title, tags, description...) to pick how that one task behaves, without
 * touching the global config other tests may rely on.
 */
export interface Markers {
  durationMs: number | null;
  never: boolean;
  error: boolean;
  reject: boolean;
  /** Accept the submission (the task exists, the song is spent), then hold the answer this long. */
  holdMs: number | null;
  /** Status answers show this task in an odd shape. */
  odd: boolean;
}

const MARKER = /\[sim:([a-z]+)(?:=([^\]]*))?\]/gi;

function strings(value: unknown, out: string[], depth = 0): string[] {
  if (depth > 8) return out;
  if (typeof value === 'string') out.push(value);
  else if (Array.isArray(value)) for (const v of value) strings(v, out, depth + 1);
  else if (value !== null && typeof value === 'object') {
    for (const v of Object.values(value)) strings(v, out, depth + 1);
  }
  return out;
}

export function readMarkers(body: unknown): Markers {
  const m: Markers = { durationMs: null, never: false, error: false, reject: false, holdMs: null, odd: false };
  for (const s of strings(body, [])) {
    for (const hit of s.matchAll(MARKER)) {
      const name = (hit[1] ?? '').toLowerCase();
      if (name === 'never') m.never = true;
      else if (name === 'error') m.error = true;
      else if (name === 'reject') m.reject = true;
      else if (name === 'odd') m.odd = true;
      else if (name === 'duration' || name === 'hold') {
        const ms = Number(hit[2]);
        if (!Number.isFinite(ms) || ms < 0) continue;
        const v = Math.min(Math.round(ms), MAX_DURATION_MS);
        if (name === 'duration') m.durationMs = v;
        else m.holdMs = v;
      }
    }
  }
  return m;
}

/** Markers are instructions to the simulator, not content: echoed text leaves them out. */
export function stripMarkers(s: string): string {
  return s.replace(MARKER, '').replace(/[ \t]{2,}/g, ' ').trim();
}
