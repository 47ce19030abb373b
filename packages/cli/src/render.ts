import type { GenerationView } from '@refrain/contracts';
import { colors, type Io } from './io';

type Step = GenerationView['steps'][number];
type Clip = GenerationView['clips'][number];

const STEP_SHARE: Record<Step['status'], number> = { pending: 0, submitting: 0.15, waiting: 0.5, succeeded: 1, failed: 1, canceled: 1 };
const short = (id: string | null | undefined) => (id ? id.slice(0, 8) : '');

function statusColor(io: Io, status: string): string {
  const c = colors(io);
  if (status === 'succeeded' || status === 'complete') return c.green(status);
  if (status === 'failed' || status === 'error' || status === 'canceled') return c.red(status);
  if (status === 'pending' || status === 'queued' || status === 'submitted') return c.dim(status);
  return c.yellow(status);
}

/** How far a step is, 0..1: its status, and for a waiting step how far its clips are. */
export function stepProgress(g: GenerationView, s: Step): number {
  if (s.status !== 'waiting') return STEP_SHARE[s.status];
  const clips = g.clips.filter((c) => c.step === s.index);
  if (clips.some((c) => c.status === 'streaming')) return 0.75;
  if (clips.some((c) => c.status === 'queued')) return 0.6;
  return 0.5;
}

export function bar(share: number, width = 20): string {
  const full = Math.round(Math.max(0, Math.min(1, share)) * width);
  return `[${'█'.repeat(full)}${'░'.repeat(width - full)}]`;
}

/** The live block: one bar per step, its clips under it. */
export function progressBlock(io: Io, g: GenerationView): string[] {
  const c = colors(io);
  const lines = [`${c.bold(g.id)}  ${statusColor(io, g.status)}  ${c.dim(`provider ${g.provider}`)}`];
  for (const s of g.steps) {
    const task = s.upstream_task_id ? c.dim(` task ${short(s.upstream_task_id)}`) : '';
    lines.push(`  ${bar(stepProgress(g, s))} ${String(s.index + 1).padStart(2)} ${s.op.padEnd(15)} ${statusColor(io, s.status)}${task}`);
    for (const clip of g.clips.filter((x) => x.step === s.index)) lines.push(`       clip ${short(clip.id)}  ${statusColor(io, clip.status)}`);
    if (s.error) lines.push(`       ${c.red(s.error.message)}`);
  }
  return lines;
}

/** The plain lines a change adds: one per step or clip state, never repeated. */
export function changeLines(g: GenerationView, seen: Set<string>): string[] {
  const lines = [
    `generation ${g.id}: ${g.status}`,
    ...g.steps.map((s) => `step ${s.index + 1} ${s.op}: ${s.status}${s.upstream_task_id ? ` (task ${s.upstream_task_id})` : ''}`),
    ...g.clips.map((c) => `clip ${c.id} (step ${c.step + 1}): ${c.status}`),
  ];
  const fresh = lines.filter((l) => !seen.has(l));
  for (const l of fresh) seen.add(l);
  return fresh;
}

/** Follows a generation on screen: redraws the block on a TTY, appends lines when piped. */
export function createProgressView(io: Io) {
  let drawn = 0;
  const seen = new Set<string>();
  return (g: GenerationView) => {
    if (!io.tty) {
      for (const l of changeLines(g, seen)) io.out(l);
      return;
    }
    const lines = progressBlock(io, g);
    if (drawn) io.out(`\x1b[${drawn}A\x1b[0J`.concat(lines[0]!));
    else io.out(lines[0]!);
    for (const l of lines.slice(1)) io.out(l);
    drawn = lines.length;
  };
}

export function clipLine(io: Io, g: GenerationView, clip: Clip): string {
  const c = colors(io);
  const finalStep = g.steps.at(-1)?.index;
  const star = clip.step === finalStep ? '★' : ' ';
  const duration = clip.duration ? `${clip.duration.toFixed(1)} s` : '? s';
  return `  ${star} step ${clip.step + 1}  ${clip.title ?? '(untitled)'}  ${c.dim(duration)}  ${clip.audio_url ?? c.dim('(no audio yet)')}`;
}

/** The end of `watch` / `--wait`: status, error, and the audio URLs. */
export function finalSummary(io: Io, g: GenerationView): string[] {
  const c = colors(io);
  const took = g.finished_at ? ` in ${((Date.parse(g.finished_at) - Date.parse(g.created_at)) / 1000).toFixed(1)} s` : '';
  const head = `${io.tty ? '' : 'final '}${g.id} ${statusColor(io, g.status)}${took}`;
  const out = [head];
  if (g.error) out.push(c.red(`  error (step ${g.error.step === null ? '-' : g.error.step + 1}, ${g.error.code}): ${g.error.message}`));
  for (const clip of g.clips) {
    if (!clip.audio_url) continue;
    out.push(io.tty ? clipLine(io, g, clip) : `audio ${clip.id} step ${clip.step + 1} ${clip.audio_url}`);
  }
  return out;
}

/** `refrain get`: everything a person wants to see about one generation. */
export function generationDetails(io: Io, g: GenerationView): string[] {
  const c = colors(io);
  const out = [
    `${c.bold(g.id)}  ${statusColor(io, g.status)}`,
    `  provider  ${g.provider}${g.scenario ? `   scenario ${g.scenario}` : ''}`,
    `  created   ${g.created_at}${g.finished_at ? `   finished ${g.finished_at}` : ''}`,
    '  steps',
    ...g.steps.map(
      (s) =>
        `    ${String(s.index + 1).padStart(2)} ${s.op.padEnd(15)} ${statusColor(io, s.status)}${s.upstream_task_id ? c.dim(`  task ${s.upstream_task_id}`) : ''}` +
        // A pool's steps say which member ran them, and how many members were tried first.
        (s.route ? c.dim(`  on ${s.provider}${s.route.failovers.length ? ` after ${s.route.failovers.map((f) => f.provider).join(', ')}` : ''}`) : ''),
    ),
  ];
  if (g.clips.length) out.push('  clips', ...g.clips.map((clip) => `  ${clipLine(io, g, clip)}  ${c.dim(`${clip.id} ${clip.status}`)}`));
  if (g.error) out.push(c.red(`  error: ${g.error.code}: ${g.error.message}`));
  return out;
}

/** `refrain list`: a table on a TTY, tab-separated rows when piped. */
export function generationTable(io: Io, rows: GenerationView[]): string[] {
  const cells = rows.map((g) => [g.id, g.status, g.steps.map((s) => s.op).join('→'), String(g.clips.length), g.created_at]);
  if (!io.tty) return cells.map((r) => r.join('\t'));
  const head = ['ID', 'STATUS', 'STEPS', 'CLIPS', 'CREATED'];
  const widths = head.map((h, i) => Math.max(h.length, ...cells.map((r) => r[i]!.length)));
  const fmt = (r: string[], color = false) =>
    r.map((v, i) => (color && i === 1 ? statusColor(io, v) + ' '.repeat(widths[i]! - v.length) : v.padEnd(widths[i]!))).join('  ').trimEnd();
  return [colors(io).bold(fmt(head)), ...cells.map((r) => fmt(r, true))];
}
