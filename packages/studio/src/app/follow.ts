import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, type Client } from './api';
import { loadEvents, saveEvents } from './session';
import { readEvents } from './sse';
import { applyEvent, type LoggedEvent } from './timeline';
import { isFinal, type GenerationView } from './types';

export type Link = 'connecting' | 'live' | 'reconnecting' | 'done';

export interface Followed {
  view: GenerationView | null;
  log: LoggedEvent[];
  link: Link;
  error: string | null;
}

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const t = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => { clearTimeout(t); resolve(); }, { once: true });
  });

/**
 * Follows one generation: its view from GET, then its server-sent events (one stream,
 * closed when the generation is final or the panel goes away). Events move the view at
 * once and a throttled GET brings the details. After a reload the stream resumes after
 * the last event this tab received (Last-Event-ID).
 */
export function useGeneration(client: Client, id: string): Followed {
  const [state, setState] = useState<Followed>({ view: null, log: loadEvents(id), link: 'connecting', error: null });
  const viewRef = useRef<GenerationView | null>(null);

  useEffect(() => {
    const abort = new AbortController();
    const signal = abort.signal;
    let log = loadEvents(id);
    let refetch: ReturnType<typeof setTimeout> | null = null;
    const set = (patch: Partial<Followed>) => setState((s) => ({ ...s, ...patch }));
    setState({ view: null, log, link: 'connecting', error: null });

    const load = async (): Promise<GenerationView | null> => {
      try {
        const v = await client.json<GenerationView>(`/v1/generations/${encodeURIComponent(id)}`, { signal });
        viewRef.current = v;
        if (!signal.aborted) set({ view: v, error: null });
        return v;
      } catch (err) {
        if (signal.aborted) return null;
        if (err instanceof ApiError && (err.status === 404 || err.status === 401)) {
          set({ error: err.status === 404 ? 'There is no such generation for this key.' : 'Your API key was not accepted.', link: 'done' });
          throw err;
        }
        return viewRef.current;
      }
    };
    const onEvent = (e: LoggedEvent) => {
      if (log.some((x) => x.id === e.id)) return;
      log = [...log, e];
      saveEvents(id, log);
      if (viewRef.current) viewRef.current = applyEvent(viewRef.current, e);
      set({ log, view: viewRef.current, link: 'live' });
      refetch ??= setTimeout(() => {
        refetch = null;
        void load().catch(() => {});
      }, 250);
    };

    void (async () => {
      try {
        let v = await load();
        while (!signal.aborted && v && !isFinal(v.status)) {
          let retryMs = 2000;
          try {
            const last = log.length ? log[log.length - 1]!.id : 0;
            set({ link: 'live' });
            ({ retryMs } = await readEvents(client, id, last, onEvent, signal));
          } catch (err) {
            if (signal.aborted) break;
            if (err instanceof ApiError && (err.status === 404 || err.status === 401)) throw err;
          }
          if (signal.aborted) break;
          v = await load();
          if (v && isFinal(v.status)) break;
          set({ link: 'reconnecting' });
          await sleep(retryMs, signal);
        }
        if (!signal.aborted) set({ link: 'done' });
      } catch {
        // load() or the stream said why (404, 401) and set the error
      }
    })();
    return () => {
      abort.abort();
      if (refetch) clearTimeout(refetch);
    };
  }, [client, id]);

  return state;
}

/** Ticks every second while `on`, so running timers move. */
export function useNow(on: boolean): number {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    if (!on) return;
    const t = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(t);
  }, [on]);
  return now;
}
