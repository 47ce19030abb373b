import type { LyricsResult, StepInput } from '@refrain/contracts';
import { RefrainError, namedClip } from '@refrain/core';
import type { ClipOrigin, StepContext } from '@refrain/db';
import type { SubmitRequest } from '@refrain/providers';

/** What a finished step hands its parent (the next step) through BullMQ's children values. */
export interface StepOutput {
  clips: string[];
  taskId: string | null;
  uploaded: boolean;
  lyrics: LyricsResult | null;
}

/**
 * The clip a step works on: the one it names (with what Refrain recorded about it, when it
 * made that clip: its task, whether it was uploaded), else `from_clip` (default 0) of the
 * previous step's output — from the child's value when BullMQ has it, else from Postgres.
 */
export function resolveSource(
  input: StepInput,
  ctx: StepContext,
  childOutput: StepOutput | undefined,
  namedOrigin?: ClipOrigin | null,
): SubmitRequest['source'] | undefined {
  const named = namedClip(input);
  if (named) {
    if (!namedOrigin) return { clipId: named };
    return {
      clipId: named,
      ...(namedOrigin.taskId ? { taskId: namedOrigin.taskId } : {}),
      uploaded: namedOrigin.uploaded,
      ...(namedOrigin.infill ? { infill: true } : {}),
    };
  }
  if (!ctx.previous) return undefined;
  const from = 'from_clip' in input && input.from_clip !== undefined ? input.from_clip : 0;
  const clipIds = childOutput?.clips ?? ctx.previous.clipIds;
  const clipId = clipIds[from];
  if (!clipId) {
    if (input.op === 'persona' || input.op === 'generate' || input.op === 'lyrics' || input.op === 'upload') return undefined;
    throw new RefrainError({
      code: 'internal',
      retry: false,
      message: `step ${ctx.step.index} asks for clip ${from} of step ${ctx.previous.index}, which made ${clipIds.length}`,
    });
  }
  const uploaded = childOutput?.uploaded ?? ctx.previousClips.find((c) => c.id === clipId)?.uploaded ?? false;
  // A replaced section (native concat then asks for is_infill); the clip is the previous step's.
  const infill = ctx.previous.op === 'replace_section';
  return { clipId, taskId: childOutput?.taskId ?? ctx.previous.upstreamTaskId ?? undefined, uploaded, ...(infill ? { infill } : {}) };
}

export function previousLyrics(ctx: StepContext, childOutput: StepOutput | undefined): LyricsResult | undefined {
  if (ctx.previous?.op !== 'lyrics') return undefined;
  return childOutput?.lyrics ?? (ctx.previous.lyrics as LyricsResult | null) ?? undefined;
}
