import type { GenerationStatus, GenerationView } from './types';

/**
 * Folds a fresh first page into the list shown: known rows are replaced, new ones come
 * first (newest first, as the API orders them), the rest stay; rows that no longer match
 * the filter leave.
 */
export function mergeFirstPage(shown: readonly GenerationView[], fresh: readonly GenerationView[], filter: GenerationStatus | ''): GenerationView[] {
  const byId = new Map(fresh.map((g) => [g.id, g]));
  const known = new Set(shown.map((g) => g.id));
  const added = fresh.filter((g) => !known.has(g.id));
  const merged = [...added, ...shown.map((g) => byId.get(g.id) ?? g)];
  return filter ? merged.filter((g) => g.status === filter) : merged;
}

/** Replaces single rows (followed one by one when they are past the first page). */
export function replaceRows(shown: readonly GenerationView[], rows: readonly GenerationView[]): GenerationView[] {
  const byId = new Map(rows.map((g) => [g.id, g]));
  return shown.map((g) => byId.get(g.id) ?? g);
}

/** A name for a generation in the list: its label, else the final song's title, else its first op. */
export function generationLabel(g: GenerationView): string {
  const label = typeof g.metadata.label === 'string' ? g.metadata.label : typeof g.metadata.description === 'string' ? g.metadata.description : '';
  if (label) return label;
  const finals = new Set(g.output?.clips ?? []);
  const titled = g.clips.find((c) => finals.has(c.id) && c.title) ?? g.clips.find((c) => c.title);
  if (titled?.title) return titled.title;
  return `${g.steps.map((s) => s.op).join(' → ')} (${g.id})`;
}
