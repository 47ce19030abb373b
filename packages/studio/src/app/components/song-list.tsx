import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import type { Client } from '../api';
import { dayOf } from '../format';
import { generationLabel, mergeFirstPage, replaceRows } from '../list';
import { isFinal, type GenerationStatus, type GenerationView } from '../types';
import { Cover } from './clip-card';

const PAGE = 10;
/** How often the list asks again while a song in it is still being made. */
const LIVE_MS = 2500;
const FILTERS: { value: GenerationStatus | ''; label: string }[] = [
  { value: '', label: 'All' },
  { value: 'queued', label: 'Queued' },
  { value: 'running', label: 'Running' },
  { value: 'succeeded', label: 'Succeeded' },
  { value: 'failed', label: 'Failed' },
  { value: 'canceled', label: 'Canceled' },
];

interface Page {
  data: GenerationView[];
  next_cursor: string | null;
}

/** The tenant's generations, newest first, filtered by status, paged by the API's cursor; live while any is running. */
export function SongList({ client, openId, bump }: { client: Client; openId: string | null; bump: number }) {
  const [filter, setFilter] = useState<GenerationStatus | ''>('');
  const [rows, setRows] = useState<GenerationView[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [state, setState] = useState<'loading' | 'ready' | 'error'>('loading');
  const rowsRef = useRef(rows);
  rowsRef.current = rows;
  const query = (c: string | null) => `/v1/generations?limit=${PAGE}${filter ? `&status=${filter}` : ''}${c ? `&cursor=${encodeURIComponent(c)}` : ''}`;

  useEffect(() => {
    let gone = false;
    setState('loading');
    client.json<Page>(query(null)).then(
      (p) => {
        if (gone) return;
        setRows(p.data);
        setCursor(p.next_cursor);
        setState('ready');
      },
      () => !gone && setState('error'),
    );
    return () => { gone = true; };
  }, [client, filter]);

  const refresh = useCallback(async () => {
    const first = await client.json<Page>(query(null));
    let merged = mergeFirstPage(rowsRef.current, first.data, filter);
    const onFirst = new Set(first.data.map((g) => g.id));
    const stale = merged.filter((g) => !onFirst.has(g.id) && !isFinal(g.status)).slice(0, 5);
    if (stale.length) merged = replaceRows(merged, await Promise.all(stale.map((g) => client.json<GenerationView>(`/v1/generations/${g.id}`))));
    setRows(merged);
  }, [client, filter]);

  useEffect(() => { if (bump) void refresh().catch(() => {}); }, [bump]);
  const live = rows.some((g) => !isFinal(g.status));
  useEffect(() => {
    if (!live) return;
    const t = setInterval(() => void refresh().catch(() => {}), LIVE_MS);
    return () => clearInterval(t);
  }, [live, refresh]);

  const more = async () => {
    if (!cursor) return;
    const p = await client.json<Page>(query(cursor));
    setRows((r) => [...r, ...p.data.filter((g) => !r.some((x) => x.id === g.id))]);
    setCursor(p.next_cursor);
  };

  return (
    <section class="card" aria-labelledby="list-heading">
      <div class="list-head">
        <h2 id="list-heading">Your songs</h2>
        <label class="inline">
          <span>Show</span>
          <select value={filter} onChange={(e) => setFilter((e.currentTarget as HTMLSelectElement).value as GenerationStatus | '')}>
            {FILTERS.map((f) => <option key={f.value} value={f.value}>{f.label}</option>)}
          </select>
        </label>
      </div>
      <p class="help" role="status">
        {state === 'loading' ? 'Loading…' : state === 'error' ? 'The list could not be loaded.' : rows.length ? `${rows.length}${cursor ? '+' : ''} shown${live ? ', updating live' : ''}.` : 'No songs here yet.'}
      </p>
      <ul class="songs">
        {rows.map((g) => {
          const cover = g.clips.find((c) => (g.output?.clips ?? []).includes(c.id) && c.image_url);
          return (
            <li key={g.id} class="song-row" data-id={g.id} data-status={g.status}>
              <a href={`#/songs/${g.id}`} aria-current={g.id === openId ? 'page' : undefined}>
                {cover ? <Cover client={client} g={g} clip={cover} size="small" /> : <span class="cover small blank" aria-hidden="true" />}
                <span class="song-text">
                  <span class="song-name">{generationLabel(g)}</span>
                  <span class="song-sub">{g.steps.map((s) => s.op.replace('_', ' ')).join(' → ')} · {dayOf(g.created_at)}</span>
                </span>
                <span class={`badge st-${g.status}`}>{g.status}</span>
              </a>
            </li>
          );
        })}
      </ul>
      {cursor ? <button type="button" onClick={() => void more()}>Show older songs</button> : null}
    </section>
  );
}
