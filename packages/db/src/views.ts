import type { ClipStatus, GenerationView, LyricsResult, Op, StepStatus, StepView } from '@refrain/contracts';
import type { clips, generations, steps } from './schema';

type GenerationRow = typeof generations.$inferSelect;
type StepRow = typeof steps.$inferSelect;
type ClipRow = typeof clips.$inferSelect;

const iso = (d: Date | null): string | null => (d ? d.toISOString() : null);

/** A generation as the API returns it (SPEC section 5). */
export function toGenerationView(g: GenerationRow, stepRows: StepRow[], clipRows: ClipRow[]): GenerationView {
  const sortedSteps = [...stepRows].sort((a, b) => a.index - b.index);
  const sortedClips = [...clipRows].sort((a, b) => a.stepIndex - b.stepIndex || a.position - b.position);
  return {
    id: g.id,
    status: g.status as GenerationView['status'],
    provider: g.provider,
    scenario: (g.scenario as GenerationView['scenario']) ?? null,
    metadata: (g.metadata as Record<string, unknown>) ?? {},
    steps: sortedSteps.map((s) => ({
      index: s.index,
      op: s.op as Op,
      status: s.status as StepStatus,
      // A step of a pool has a provider once a member was chosen for it.
      provider: s.pool && !s.route ? null : s.provider,
      route: (s.route as StepView['route']) ?? null,
      upstream_task_id: s.upstreamTaskId,
      clip_ids: s.clipIds,
      lyrics: (s.lyrics as LyricsResult | null) ?? null,
      error: (s.error as GenerationView['error']) ?? null,
      started_at: iso(s.startedAt),
      finished_at: iso(s.finishedAt),
    })),
    clips: sortedClips.map((c) => ({
      id: c.id,
      step: c.stepIndex,
      status: c.status as ClipStatus,
      title: c.title,
      tags: c.tags,
      lyrics: c.lyrics,
      audio_url: c.audioUrl,
      video_url: c.videoUrl,
      image_url: c.imageUrl,
      duration: c.duration,
      model: c.model,
    })),
    output: (g.output as { clips: string[]; lyrics: LyricsResult | null } | null) ?? null,
    error: (g.error as GenerationView['error']) ?? null,
    created_at: g.createdAt.toISOString(),
    updated_at: g.updatedAt.toISOString(),
    finished_at: iso(g.finishedAt),
  };
}
