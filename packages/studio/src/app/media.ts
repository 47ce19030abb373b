import { useEffect, useState } from 'preact/hooks';
import { mediaPath, type Client } from './api';

export interface Media {
  url: string | null;
  type: string;
  error: string | null;
}

/** Covers are small and shown in several places: kept for the page's life, fetched once. */
const images = new Map<string, Promise<string>>();

/**
 * A clip's audio or cover as an object URL. The API serves clip media itself
 * (GET /v1/generations/{id}/clips/{clip}/audio|image) behind the API key, so the page
 * never reaches another origin; `<audio>` cannot send the key, hence fetch and a blob.
 */
export function useMedia(client: Client, generationId: string, clipId: string, kind: 'audio' | 'image', enabled: boolean): Media {
  const [media, setMedia] = useState<Media>({ url: null, type: '', error: null });
  useEffect(() => {
    if (!enabled) return;
    const abort = new AbortController();
    const path = mediaPath(generationId, clipId, kind);
    let own: string | null = null;
    const done = (m: Media) => { if (!abort.signal.aborted) setMedia(m); };
    if (kind === 'image') {
      let p = images.get(path);
      if (!p) {
        p = client.blob(path).then((b) => URL.createObjectURL(b));
        images.set(path, p);
        p.catch(() => images.delete(path));
      }
      p.then((url) => done({ url, type: 'image', error: null }), (e: Error) => done({ url: null, type: '', error: e.message }));
    } else {
      client.blob(path, abort.signal).then(
        (b) => {
          if (abort.signal.aborted) return;
          own = URL.createObjectURL(b);
          done({ url: own, type: b.type, error: null });
        },
        (e: Error) => done({ url: null, type: '', error: e.message }),
      );
    }
    return () => {
      abort.abort();
      if (own) URL.revokeObjectURL(own);
    };
  }, [client, generationId, clipId, kind, enabled]);
  return media;
}
