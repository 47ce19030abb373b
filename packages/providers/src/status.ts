import type { ClipStatus, UpstreamState } from '@refrain/contracts';
import type { ClipSnapshot, TaskRef, TaskSnapshot } from './types';

export type Warn = (msg: string, data?: Record<string, unknown>) => void;

/** Status words of lyrics tasks (Suno's lyrics endpoint, gateway, relay LYRICS data). */
export const LYRICS_STATUS: Record<string, UpstreamState> = {
  submitted: 'running',
  queued: 'running',
  running: 'running',
  streaming: 'running',
  complete: 'complete',
  error: 'error',
};

/** Looks a word up exactly, then ignoring case; never matches Object.prototype keys. */
export function lookup<V>(table: Record<string, V>, word: string): V | undefined {
  if (Object.hasOwn(table, word)) return table[word];
  const lower = word.toLowerCase();
  for (const [k, v] of Object.entries(table)) if (k.toLowerCase() === lower) return v;
  return undefined;
}

/**
 * Maps an upstream clip status onto Refrain's. An unknown word never throws: it is
 * reported and the clip counts as still running, so the step's deadline decides.
 */
export function mapClipStatus(
  table: Record<string, ClipStatus>,
  word: string,
  ctx: { dialect: string; clipId: string; audioUrl?: string | null; warn?: Warn },
): ClipStatus {
  const known = lookup(table, word);
  if (known !== undefined) return known;
  ctx.warn?.(`${ctx.dialect}: unknown status "${word}"; treating the clip as still running`, {
    dialect: ctx.dialect,
    clipId: ctx.clipId,
    status: word,
  });
  return ctx.audioUrl ? 'streaming' : 'queued';
}

export function mapLyricsStatus(word: string, ctx: { dialect: string; id: string; warn?: Warn }): UpstreamState {
  const known = lookup(LYRICS_STATUS, word);
  if (known !== undefined) return known;
  ctx.warn?.(`${ctx.dialect}: unknown lyrics status "${word}"; treating it as still running`, {
    dialect: ctx.dialect,
    lyricsId: ctx.id,
    status: word,
  });
  return 'running';
}

/**
 * Task-level summary: error as soon as one clip failed (with its words), complete when
 * every expected clip is there and complete, otherwise running.
 */
export function summarizeClips(
  clips: readonly ClipSnapshot[],
  expectedIds: readonly string[] = [],
): { state: UpstreamState; error?: string } {
  const failed = clips.find((c) => c.status === 'error');
  if (failed) return { state: 'error', error: failed.error_message || `clip ${failed.id} failed upstream` };
  const seen = new Set(clips.map((c) => c.id));
  const allThere = expectedIds.every((id) => seen.has(id));
  if (clips.length > 0 && allThere && clips.every((c) => c.status === 'complete')) return { state: 'complete' };
  return { state: 'running' };
}

/** Splits a list into chunks of at most `size` items. */
export function chunk<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/**
 * Feeds answer clips, not tasks: put each task's clips back together. A task none of
 * whose clips came back is left out (the caller keeps waiting on it).
 */
export function regroup<C>(
  refs: readonly TaskRef[],
  byId: ReadonlyMap<string, C>,
  toSnapshot: (c: C) => TaskSnapshot['clips'][number],
): TaskSnapshot[] {
  const out: TaskSnapshot[] = [];
  for (const ref of refs) {
    const found = ref.clipIds.map((id) => byId.get(id)).filter((c): c is C => c !== undefined);
    if (found.length === 0) continue;
    const clips = found.map(toSnapshot);
    out.push({ taskId: ref.taskId, clips, ...summarizeClips(clips, ref.clipIds) });
  }
  return out;
}
