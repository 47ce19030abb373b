import type { Request } from 'express';
import { lyricsFrom, tagsFrom, titleFrom } from './content';
import type { SimContext } from './context';
import { badRequest } from './errors';
import { readMarkers, stripMarkers } from './markers';
import type { NewClip, NewTask } from './tasks';
import type { SimClip, SimTask } from './types';

export const REJECT_MESSAGE = 'Simulated rejection: prompt refused';

/** A music request after each dialect has mapped its own field names. */
export interface SongRequest {
  /** Non-empty: description mode (title, tags and lyrics are made up from it). */
  description?: string | null;
  instrumental?: boolean | null;
  /** Custom mode lyrics; empty means instrumental (Suno's rule). */
  lyrics?: string | null;
  title?: string | null;
  tags?: string | null;
  negativeTags?: string | null;
  model: string;
  source?: { clip: SimClip; continueAt?: number | null } | null;
  /** Suno's edit task: cover, infill, artist_consistency (null for plain generate/extend). */
  task?: string | null;
}

const clean = (s: string | null | undefined): string => stripMarkers(s ?? '');

/** Mode by the raw field, so a description made only of a marker is still description mode. */
export function isDescriptionMode(r: Pick<SongRequest, 'description'>): boolean {
  return (r.description ?? '').trim() !== '';
}

/** The clip pair a generate / extend / cover answers (Suno always makes two). */
export function songClips(r: SongRequest, count = 2): NewClip[] {
  const src = r.source?.clip;
  const common = {
    kind: 'gen' as const,
    model: r.model,
    negativeTags: clean(r.negativeTags),
    sourceClipId: src?.id ?? null,
    sourceKind: src?.kind ?? null,
    continueAt: r.source?.continueAt ?? null,
    task: r.task ?? null,
  };
  let clip: NewClip;
  if (isDescriptionMode(r)) {
    const d = clean(r.description);
    clip = { ...common, title: titleFrom(d), tags: tagsFrom(d), lyrics: r.instrumental ? '' : lyricsFrom(d), description: d };
  } else {
    clip = {
      ...common,
      title: clean(r.title) || src?.title || 'Untitled',
      tags: clean(r.tags) || src?.tags || '',
      lyrics: r.instrumental ? '' : clean(r.lyrics),
    };
  }
  return Array.from({ length: count }, () => ({ ...clip }));
}

/** The two stems of a clip: vocals and instrumental. */
export function stemClips(src: SimClip): NewClip[] {
  return (['vocals', 'instrumental'] as const).map((stem) => ({
    kind: 'stem' as const,
    title: `${src.title} (${stem === 'vocals' ? 'Vocals' : 'Instrumental'})`,
    tags: src.tags,
    lyrics: stem === 'vocals' ? src.lyrics : '',
    model: src.model,
    sourceClipId: src.id,
    sourceKind: src.kind,
    stemType: stem,
  }));
}

/** The whole song of a clip as one clip. */
export function concatClip(src: SimClip): NewClip {
  return { kind: 'concat', title: src.title, tags: src.tags, lyrics: src.lyrics, model: src.model, sourceClipId: src.id, sourceKind: src.kind };
}

export function uploadClip(url: string, model: string): NewClip {
  const name = decodeURIComponent(new URL(url).pathname.split('/').pop() ?? '').replace(/\.[a-z0-9]+$/i, '');
  return { kind: 'upload', title: name || 'Uploaded audio', tags: '', lyrics: '', model, uploadUrl: url };
}

/**
 * Accepts a validated submission: applies the markers (a reject refuses it here, so
 * nothing is created), refuses a music submission the account has no credits for (402,
 * nothing created or counted), creates the task, counts it (and its duplicate), spends a song.
 */
export function accept(ctx: SimContext, req: Request, spec: Omit<NewTask, 'markers' | 'origin'>): SimTask {
  const markers = readMarkers(req.body);
  if (markers.reject) throw badRequest(REJECT_MESSAGE);
  if (spec.kind === 'music') ctx.checkCredits();
  const task = ctx.store.create({ ...spec, markers, origin: ctx.originOf(req), request: req.body });
  ctx.stats.submission(spec.dialect, req.path, req.body);
  if (spec.kind === 'music') ctx.spendSong();
  return task;
}

/**
 * Continuing an uploaded clip: `task: "upload_extend"` with the plain model (the proxies'
 * way), or seed 002's `-upload` model (deprecated; only chirp-v3-5-upload and
 * chirp-v4-upload exist). Either only for an uploaded clip.
 */
export function checkUploadExtend(src: SimClip, model: string, task: string | null | undefined): void {
  const uploaded = src.kind === 'upload';
  if (task === 'upload_extend') {
    if (!uploaded) throw badRequest(`Clip ${src.id} is not an uploaded clip: extend it without task "upload_extend"`);
    if (model.endsWith('-upload')) throw badRequest('task "upload_extend" takes the plain model, without -upload');
    return;
  }
  if (uploaded && !model.endsWith('-upload')) {
    throw badRequest(`Clip ${src.id} is an uploaded clip: continue it with task "upload_extend"`);
  }
}

export function lyricsTask(prompt: string): { title: string; text: string } {
  const idea = clean(prompt);
  return { title: idea ? titleFrom(idea) : 'Untitled', text: lyricsFrom(idea || 'a song') };
}
