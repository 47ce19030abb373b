import type { Response } from 'express';
import type { WireClip } from '@refrain/wire';

/**
 * gcui-art/suno-api's clip object (`AudioInfo`): `id, title, image_url, lyric, audio_url,
 * video_url, created_at, model_name, status, gpt_description_prompt, prompt, type, tags,
 * negative_tags, duration, error_message`, with Suno's values (null where Suno has none).
 */
export function audioInfo(c: WireClip): Record<string, unknown> {
  return {
    id: c.id,
    title: c.title,
    image_url: c.imageUrl,
    lyric: c.lyrics,
    audio_url: c.audioUrl,
    video_url: c.videoUrl,
    created_at: c.createdAt,
    model_name: c.model,
    status: c.status,
    gpt_description_prompt: c.description,
    prompt: c.lyrics,
    type: c.type,
    tags: c.tags,
    negative_tags: c.negativeTags,
    duration: c.duration,
    error_message: c.status === 'error' ? c.errorMessage : null,
  };
}

/** gcui-art's errors: `{error: "<message>"}` with the HTTP status. */
export const sendGcuiError = (res: Response, status: number, message: string): void => {
  res.status(status).json({ error: message });
};
