import { FINAL_GENERATION_STATUSES, type GenerationView } from '@refrain/contracts';
import type { Client } from './client';
import { readSse, type SseEvent } from './sse';

export const isFinal = (g: GenerationView): boolean => FINAL_GENERATION_STATUSES.includes(g.status);

type Json = Record<string, unknown>;

/** Fold one SSE event into the view, so progress shows without re-reading the generation. */
export function applyEvent(g: GenerationView, ev: SseEvent): GenerationView {
  let data: Json;
  try {
    data = JSON.parse(ev.data) as Json;
  } catch {
    return g;
  }
  if (ev.event === 'generation' && typeof data.status === 'string') {
    return { ...g, status: data.status as GenerationView['status'], error: (data.error as GenerationView['error']) ?? g.error };
  }
  if (ev.event === 'step' && typeof data.index === 'number') {
    const steps = g.steps.map((s) =>
      s.index !== data.index
        ? s
        : {
            ...s,
            status: (data.status as typeof s.status) ?? s.status,
            upstream_task_id: (data.upstream_task_id as string | undefined) ?? s.upstream_task_id,
            clip_ids: (data.clip_ids as string[] | undefined) ?? s.clip_ids,
            error: (data.error as typeof s.error | undefined) ?? s.error,
          },
    );
    return { ...g, steps };
  }
  if (ev.event === 'clip' && typeof data.id === 'string') {
    const known = g.clips.find((c) => c.id === data.id);
    const patch = { status: data.status as GenerationView['clips'][number]['status'], audio_url: (data.audio_url as string | null) ?? null };
    if (known) return { ...g, clips: g.clips.map((c) => (c.id === data.id ? { ...c, ...patch, audio_url: patch.audio_url ?? c.audio_url } : c)) };
    const fresh = { id: data.id, step: Number(data.step ?? 0), title: null, tags: null, lyrics: null, video_url: null, image_url: null, duration: null, model: null, ...patch };
    return { ...g, clips: [...g.clips, fresh] };
  }
  return g;
}

export interface FollowOptions {
  /** Called with the view after every change (and once at the start). */
  onUpdate(g: GenerationView, ev?: SseEvent): void;
  /** Called with every raw event (watch --json). */
  onEvent?(ev: SseEvent): void;
  maxReconnects?: number;
}

/**
 * Follow a generation to its final state: live over SSE (resuming with Last-Event-ID when
 * the stream drops), else by `?wait=` long-polls. Returns the final view as the API gives it.
 */
export async function followGeneration(client: Client, id: string, opts: FollowOptions): Promise<GenerationView> {
  const snapshot = await client.getGeneration(id);
  // The stream replays every change from the start, so fold it onto the generation as it
  // was at its start; folding old events onto a newer snapshot would show them out of order.
  let g = isFinal(snapshot) ? snapshot : atStart(snapshot);
  opts.onUpdate(g);
  let lastId: string | undefined;
  let reconnects = 0;
  while (!isFinal(g) && reconnects <= (opts.maxReconnects ?? 5)) {
    const res = await client.events(id, lastId).catch(() => null);
    if (!res || !res.ok || !res.body || !/text\/event-stream/.test(res.headers.get('content-type') ?? '')) {
      await res?.body?.cancel().catch(() => {});
      break; // no stream here: long-poll instead
    }
    try {
      for await (const ev of readSse(res.body)) {
        if (ev.id) lastId = ev.id;
        opts.onEvent?.(ev);
        g = applyEvent(g, ev);
        opts.onUpdate(g, ev);
        if (ev.event === 'generation' && isFinal(g)) break;
      }
    } catch {
      // the connection dropped: resume from lastId
    }
    if (!isFinal(g)) reconnects++;
  }
  // `?wait=2` answers at once when final, else within 2 s: a live-enough fallback.
  while (!isFinal(g)) {
    const next = await client.getGeneration(id, 2);
    if (JSON.stringify(next) !== JSON.stringify(g)) opts.onUpdate(next);
    g = next;
  }
  const final = await client.getGeneration(id);
  if (JSON.stringify(final) !== JSON.stringify(g)) opts.onUpdate(final);
  return final;
}

/** The generation as it was when created: queued, every step pending, no clips yet. */
function atStart(g: GenerationView): GenerationView {
  return {
    ...g,
    status: 'queued',
    error: null,
    clips: [],
    steps: g.steps.map((s) => ({ ...s, status: 'pending', upstream_task_id: null, clip_ids: [], error: null, started_at: null, finished_at: null })),
  };
}

/** Wait for the final state without showing progress (`--wait --json`). */
export async function waitFinal(client: Client, id: string): Promise<GenerationView> {
  let g = await client.getGeneration(id);
  while (!isFinal(g)) g = await client.getGeneration(id, 60);
  return g;
}
