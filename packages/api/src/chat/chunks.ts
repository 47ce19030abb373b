import type { ClipView, GenerationView } from '@refrain/contracts';
import type { GenerationEvent } from '@refrain/db';

/** What every chunk of one answer shares. The id names the generation behind it. */
export interface CompletionMeta {
  id: string;
  created: number;
  model: string;
}

export const completionMeta = (view: GenerationView, model: string): CompletionMeta => ({
  id: `chatcmpl-${view.id}`,
  created: Math.floor(Date.parse(view.created_at) / 1000),
  model,
});

/** Songs are not billed by token; zeros keep clients that read `usage` working. */
const NO_USAGE = { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 };

export function chunk(meta: CompletionMeta, delta: { role?: 'assistant'; content?: string }, finishReason: 'stop' | null = null) {
  return {
    ...meta,
    object: 'chat.completion.chunk' as const,
    system_fingerprint: null,
    choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }],
  };
}

/** The `stream_options.include_usage` chunk: no choices, only usage. */
export const usageChunk = (meta: CompletionMeta) => ({ ...meta, object: 'chat.completion.chunk' as const, system_fingerprint: null, choices: [], usage: NO_USAGE });

export function completion(meta: CompletionMeta, view: GenerationView) {
  return {
    ...meta,
    object: 'chat.completion' as const,
    system_fingerprint: null,
    choices: [{ index: 0, message: { role: 'assistant' as const, content: songMessage(view), refusal: null }, logprobs: null, finish_reason: 'stop' as const }],
    usage: NO_USAGE,
    refrain: songSummary(view),
  };
}

/** The clips that make the song: the generation's output, else the last step's. */
export function songClips(view: GenerationView): ClipView[] {
  const out = view.output?.clips ?? [];
  const picked = out.map((id) => view.clips.find((c) => c.id === id)).filter((c): c is ClipView => !!c);
  if (picked.length) return picked;
  const last = Math.max(...view.clips.map((c) => c.step), 0);
  return view.clips.filter((c) => c.step === last);
}

/** Refrain extension on the answer: the same facts as structured data. */
export function songSummary(view: GenerationView) {
  return {
    generation_id: view.id,
    status: view.status,
    clips: songClips(view).map((c) => ({
      id: c.id, title: c.title, tags: c.tags, audio_url: c.audio_url, video_url: c.video_url, image_url: c.image_url, duration: c.duration, model: c.model,
    })),
  };
}

const minutes = (s: number | null): string => (s === null ? '' : ` (${Math.floor(s / 60)}:${String(Math.round(s % 60)).padStart(2, '0')})`);

/** The final message: title, style, lyrics, then each clip's links (markdown, readable as plain text). */
export function songMessage(view: GenerationView): string {
  const clips = songClips(view);
  const first = clips[0];
  const lines = [`## ${first?.title || 'Untitled'}`, ''];
  if (first?.tags) lines.push(`Style: ${first.tags}`, '');
  lines.push(first?.lyrics?.trim() ? first.lyrics.trim() : '(instrumental)', '');
  clips.forEach((c, i) => {
    lines.push(`Song ${i + 1}${minutes(c.duration)}`);
    if (c.audio_url) lines.push(`- Audio: ${c.audio_url}`);
    if (c.video_url) lines.push(`- Video: ${c.video_url}`);
    if (c.image_url) lines.push(`- Cover: ${c.image_url}`);
    lines.push('');
  });
  lines.push(`Generation: ${view.id}`);
  return lines.join('\n');
}

/** What the stream has already said, so each fact is told once. */
export interface ProgressState {
  generationId: string;
  /** The op of each step, by index. */
  ops: string[];
  streamed: Set<string>;
}

export const progressState = (view: GenerationView): ProgressState => ({
  generationId: view.id,
  ops: view.steps.map((s) => s.op),
  streamed: new Set(),
});

/** A progress line for a generation event, or null when the event is not worth a line. */
export function progressLine(e: GenerationEvent, state: ProgressState): string | null {
  const d = e.data;
  if (e.type === 'generation' && d.status === 'queued') return `Queued as generation ${state.generationId}.\n\n`;
  if (e.type === 'step' && d.status === 'waiting') {
    const task = typeof d.upstream_task_id === 'string' ? ` (task ${d.upstream_task_id})` : '';
    const index = Number(d.index);
    return `Step ${index + 1}/${state.ops.length} (${state.ops[index] ?? 'step'}) submitted upstream${task}.\n\n`;
  }
  if (e.type === 'clip' && d.status === 'streaming' && typeof d.audio_url === 'string' && typeof d.id === 'string') {
    if (state.streamed.has(d.id)) return null;
    state.streamed.add(d.id);
    return `Audio is streaming: ${d.audio_url}\n\n`;
  }
  return null;
}
