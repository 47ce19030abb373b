import type { LyricsResult } from './generation';
import type { ClipStatus, UpstreamState } from './vocabulary';

/**
 * What an upstream says about one clip, mapped onto Refrain's clip states: what the
 * providers read and the database stores (poll answers and callbacks alike).
 */
export interface UpstreamClip {
  id: string;
  status: ClipStatus;
  title?: string | null;
  tags?: string | null;
  lyrics?: string | null;
  audio_url?: string | null;
  video_url?: string | null;
  image_url?: string | null;
  duration?: number | null;
  model?: string | null;
  error_message?: string | null;
}

/** One upstream task: its clips (or lyrics), and a task-level summary. */
export interface UpstreamTask<C extends UpstreamClip = UpstreamClip> {
  taskId: string;
  state: UpstreamState;
  clips: C[];
  lyrics?: LyricsResult;
  /** The upstream's own words when state is `error`. */
  error?: string;
}
