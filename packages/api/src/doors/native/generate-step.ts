import { z } from 'zod';
import { nativeGenerateFields } from '@refrain/wire';
import type { ApiDeps } from '../../deps';
import { resolveClipRef } from '../core/clip-ref';
import { given, modelOf, present } from '../core/fields';
import type { DoorSubmission } from '../core/submit';

/** Seeds 002 and 000: every field of Suno's generate body; `mv` may be left out (the provider's default model). */
export const nativeGenerateBody = z.object({ ...nativeGenerateFields, mv: z.string().nullish() });
export type NativeGenerateBody = z.infer<typeof nativeGenerateBody>;

type Planned = Pick<DoorSubmission, 'step' | 'provider'>;

/**
 * Which operation a Suno generate body asks for: `task` says it (gen_stem, cover, infill,
 * artist_consistency, upload_extend), else the fields do (a `continue_clip_id` is an
 * extension; seed 002's `-upload` model suffix and `upload_extend` need nothing more, since
 * Refrain knows an uploaded clip), else description or custom mode.
 */
export async function nativeStep(deps: ApiDeps, tenantId: string, b: NativeGenerateBody): Promise<Planned> {
  const ref = async (id: string | null | undefined, field: string) => (id ? resolveClipRef(deps, tenantId, id, field) : undefined);
  const song = present({ prompt: b.prompt, title: b.title, tags: b.tags, mv: modelOf(b.mv) });
  const on = (r: Awaited<ReturnType<typeof ref>>) => (r?.provider ? { provider: r.provider } : {});
  if (b.task === 'gen_stem') {
    const src = await ref(b.continue_clip_id, 'continue_clip_id');
    return { step: { op: 'stems', ...present({ clip_id: src?.clipId }) }, ...on(src) };
  }
  if (b.task === 'cover' || b.cover_clip_id) {
    const src = await ref(b.cover_clip_id ?? b.continue_clip_id, 'cover_clip_id');
    return { step: { op: 'cover', ...present({ clip_id: src?.clipId }), ...song }, ...on(src) };
  }
  if (b.task === 'infill' || (b.infill_start_s != null && b.infill_end_s != null)) {
    const src = await ref(b.continue_clip_id, 'continue_clip_id');
    return {
      step: { op: 'replace_section', ...present({ clip_id: src?.clipId, infill_start_s: b.infill_start_s, infill_end_s: b.infill_end_s }), ...song },
      ...on(src),
    };
  }
  if (b.task === 'artist_consistency' || b.persona_id) {
    const src = await ref(b.artist_clip_id, 'artist_clip_id');
    return {
      step: { op: 'persona', ...present({ persona_id: b.persona_id, clip_id: src?.clipId, negative_tags: b.negative_tags, make_instrumental: b.make_instrumental }), ...song },
      ...on(src),
    };
  }
  if (b.continue_clip_id) {
    const src = await ref(b.continue_clip_id, 'continue_clip_id');
    return { step: { op: 'extend', ...present({ continue_clip_id: src?.clipId, continue_at: b.continue_at }), ...song }, ...on(src) };
  }
  if (given(b.gpt_description_prompt)) {
    return { step: { op: 'generate', gpt_description_prompt: b.gpt_description_prompt!, ...present({ make_instrumental: b.make_instrumental, mv: modelOf(b.mv) }) } };
  }
  return { step: { op: 'generate', ...present({ negative_tags: b.negative_tags, make_instrumental: b.make_instrumental }), ...song } };
}
