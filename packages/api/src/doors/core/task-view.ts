import type { GenerationError, Op } from '@refrain/contracts';
import type { DoorRecord } from '@refrain/db';
import type { WireClip, WireClipStatus, WireLyrics } from '@refrain/wire';

/**
 * A door's task in one vocabulary every door maps from (docs/doors.md has each door's
 * table): where the step is, in Suno's clip words where it has clips.
 *
 * | Refrain | phase |
 * |---|---|
 * | step pending (not sent yet) | pending |
 * | step submitting (being sent) | submitted |
 * | step waiting, no clip streaming yet | queued |
 * | step waiting, a clip streaming or done | streaming |
 * | step succeeded | succeeded |
 * | step or generation failed or canceled | failed |
 */
export type DoorPhase = 'pending' | 'submitted' | 'queued' | 'streaming' | 'succeeded' | 'failed';

export interface DoorTask {
  record: DoorRecord;
  op: Op;
  phase: DoorPhase;
  /** One per clip slot the door handed out, by position (a further clip upstream made has no door id and is not shown). */
  clips: WireClip[];
  /** A lyrics step's lyrics, null for other steps. */
  lyrics: WireLyrics | null;
  failure: { code: string; message: string } | null;
  /** Unix seconds; 0 when it has not happened yet. */
  submitTime: number;
  startTime: number;
  finishTime: number;
}

type Input = Record<string, unknown>;
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const unix = (d: Date | null): number => (d ? Math.floor(d.getTime() / 1000) : 0);

function failureOf(r: DoorRecord): DoorTask['failure'] {
  const stepError = r.step.error as GenerationError | null;
  if (stepError) return { code: stepError.code, message: stepError.message };
  if (r.step.status === 'canceled' || r.generation.status === 'canceled') return { code: 'canceled', message: 'canceled before it was sent upstream' };
  const genError = r.generation.error as GenerationError | null;
  if (r.generation.status === 'failed') return { code: genError?.code ?? 'internal', message: genError?.message ?? 'failed' };
  return null;
}

function phaseOf(r: DoorRecord, failed: boolean): DoorPhase {
  if (failed) return 'failed';
  switch (r.step.status) {
    case 'succeeded':
      return 'succeeded';
    case 'pending':
      return 'pending';
    case 'submitting':
      return 'submitted';
    default:
      return r.clips.some((c) => c.status === 'streaming' || c.status === 'complete') ? 'streaming' : 'queued';
  }
}

/** A slot's status: the upstream clip's own once it exists; before that, from the step. */
function slotStatus(phase: DoorPhase, clip: DoorRecord['clips'][number] | undefined): WireClipStatus {
  const own = clip?.status as WireClipStatus | undefined;
  if (own === 'complete' || own === 'error') return own;
  if (phase === 'failed') return 'error';
  if (own) return own;
  if (phase === 'succeeded') return 'error'; // upstream made fewer clips than the answer promised
  return phase === 'pending' || phase === 'submitted' ? 'submitted' : 'queued';
}

const TYPE: Partial<Record<Op, string>> = { upload: 'upload', concat: 'concat', stems: 'edit_stem' };
const TASK: Partial<Record<Op, string>> = { cover: 'cover', replace_section: 'infill', persona: 'artist_consistency', stems: 'gen_stem' };

export function doorTask(r: DoorRecord, defaultModel: string): DoorTask {
  const op = r.step.op as Op;
  const failure = failureOf(r);
  const phase = phaseOf(r, failure !== null);
  const input = (r.step.input ?? {}) as Input;
  const createdAt = r.generation.createdAt.toISOString();
  const owner = { userId: r.tenantId, displayName: r.tenantId, handle: r.tenantId };
  const instrumental = input.make_instrumental === true;
  const clips: WireClip[] = r.slots.map((id, position) => {
    const c = r.clips[position];
    const status = slotStatus(phase, c);
    const lyrics = c?.lyrics ?? (instrumental ? '' : (str(input.prompt) ?? ''));
    return {
      id,
      status,
      title: c?.title ?? str(input.title) ?? '',
      tags: c?.tags ?? str(input.tags) ?? '',
      negativeTags: str(input.negative_tags) ?? '',
      lyrics,
      description: str(input.gpt_description_prompt) ?? null,
      model: (c?.model ?? str(input.mv) ?? defaultModel).replace(/-upload$/, ''),
      createdAt,
      audioUrl: c?.audioUrl ?? '',
      videoUrl: c?.videoUrl ?? '',
      imageUrl: c?.imageUrl ?? null,
      duration: c?.duration ?? null,
      errorMessage: status === 'error' ? (c?.errorMessage ?? failure?.message ?? 'upstream made fewer clips than expected') : null,
      errorType: status === 'error' ? (failure?.code ?? 'upstream_failed') : null,
      type: TYPE[op] ?? 'gen',
      task: TASK[op] ?? null,
      stemType: null,
      history: null,
      concatHistory: null,
      hasVocal: lyrics.trim() !== '',
      uploaded: op === 'upload',
      owner,
    };
  });
  const lyricsResult = r.step.lyrics as { title: string; text: string } | null;
  const lyrics: WireLyrics | null =
    op === 'lyrics'
      ? {
          id: r.taskId ?? r.id,
          status: phase === 'failed' ? 'error' : phase === 'succeeded' ? 'complete' : 'running',
          title: lyricsResult?.title ?? '',
          text: lyricsResult?.text ?? '',
          errorMessage: failure?.message ?? null,
        }
      : null;
  return {
    record: r,
    op,
    phase,
    clips,
    lyrics,
    failure,
    submitTime: unix(r.generation.createdAt),
    startTime: unix(r.step.submittedAt ?? r.step.startedAt),
    finishTime: phase === 'succeeded' || phase === 'failed' ? unix(r.step.finishedAt ?? r.generation.finishedAt ?? r.generation.updatedAt) : 0,
  };
}

/** The clip of a task a door id names (a clip id), or undefined for a task id. */
export const clipOf = (t: DoorTask, id: string): WireClip | undefined => t.clips.find((c) => c.id === id);
