import { shortId } from './format';
import type { GenerationView, StepView } from './types';

/** One server-sent event as the page keeps it: the API's id, type and data, and when it arrived. */
export interface LoggedEvent {
  id: number;
  type: string;
  data: Record<string, unknown>;
  at: number;
}

export interface TimelineStep {
  index: number;
  op: StepView['op'];
  status: StepView['status'];
  provider: string;
  startedAt: string | null;
  finishedAt: string | null;
  /** How long it took, or has been running, in ms; null before it starts. */
  elapsedMs: number | null;
  error: StepView['error'];
  clips: { id: string; status: string }[];
  events: LoggedEvent[];
}

const ms = (iso: string | null): number | null => (iso ? Date.parse(iso) : null);

/** The generation's steps as a timeline: the view's state and timings, and the events each step received. */
export function timeline(g: GenerationView, log: readonly LoggedEvent[], now: number): TimelineStep[] {
  return g.steps.map((s) => {
    const start = ms(s.started_at);
    const end = ms(s.finished_at);
    return {
      index: s.index,
      op: s.op,
      status: s.status,
      provider: g.provider,
      startedAt: s.started_at,
      finishedAt: s.finished_at,
      elapsedMs: start === null ? null : (end ?? now) - start,
      error: s.error,
      clips: g.clips.filter((c) => c.step === s.index).map((c) => ({ id: c.id, status: c.status })),
      events: log.filter((e) => (e.type === 'step' && e.data.index === s.index) || (e.type === 'clip' && e.data.step === s.index)),
    };
  });
}

/**
 * Applies an event to the view at once, so the timeline moves without waiting for the
 * refetch that brings the details (timings, titles, URLs).
 */
export function applyEvent(g: GenerationView, e: LoggedEvent): GenerationView {
  const d = e.data;
  if (e.type === 'generation' && typeof d.status === 'string') {
    return { ...g, status: d.status as GenerationView['status'], error: (d.error as GenerationView['error']) ?? g.error };
  }
  if (e.type === 'step' && typeof d.index === 'number' && typeof d.status === 'string') {
    return {
      ...g,
      steps: g.steps.map((s) =>
        s.index === d.index ? { ...s, status: d.status as StepView['status'], error: (d.error as StepView['error']) ?? s.error } : s,
      ),
    };
  }
  if (e.type === 'clip' && typeof d.id === 'string' && typeof d.status === 'string') {
    const known = g.clips.some((c) => c.id === d.id);
    if (!known) return g; // the refetch brings new clips whole
    return { ...g, clips: g.clips.map((c) => (c.id === d.id ? { ...c, status: d.status as typeof c.status } : c)) };
  }
  return g;
}

/** An event in a few words, for the timeline and the screen reader's live region. */
export function describeEvent(e: LoggedEvent): string {
  const d = e.data;
  if (e.type === 'generation') return `Generation ${String(d.status)}${d.error ? `: ${String((d.error as { message?: string }).message ?? '')}` : ''}`;
  if (e.type === 'step') return `Step ${Number(d.index) + 1} ${String(d.status)}${d.error ? `: ${String((d.error as { message?: string }).message ?? '')}` : ''}`;
  if (e.type === 'clip') return `Clip ${shortId(String(d.id))} ${String(d.status)}`;
  return e.type;
}
