import type { Db } from './connect';
import { clipRecord, type TaskUpdate } from './clip-records';
import { inTransaction, run, statement } from './prepared';

/** A clip of a poll answer or callback, as the upsert's recordset names it, with the step it belongs to. */
type ClipRow = ReturnType<typeof clipRecord> & { generation_id: string; step_index: number; uploaded: boolean; owner: string };

/** A clip an update named that belongs to another step: left as it is. */
export interface RefusedClip {
  id: string;
  /** The step whose update named it. */
  generationId: string;
  index: number;
}

export interface AppliedChange {
  generationId: string;
  index: number;
  /** The step's upstream task reached a final state with this update. */
  finished: boolean;
  streamingClips: string[];
  /** false when the generation has no callback_url (no webhook to queue). */
  webhooks?: boolean;
  /** The step's operation, when it submitted, and the final state its task reached (set when `finished`). */
  op?: string;
  submittedAt?: Date | null;
  state?: string;
}

const TASK_OWNERS = statement(
  'task_owners',
  `select s.generation_id as "generationId", s.index, s.op, s.clip_ids as "clipIds", s.upstream_task_id as "taskId",
          s.upstream_state as "state", g.callback_url is not null as "webhooks", s.submitted_at as "submittedAt"
     from steps s join generations g on g.id = s.generation_id
    where s.provider = $1 and s.upstream_task_id = any($2::text[]) and s.status = 'waiting'`,
);
const CLIP_OWNERS = statement(
  'clip_owners',
  `select id, generation_id as "generationId", step_index as "index" from clips where provider = $1 and id = any($2::text[])`,
);
/** The ownership test is repeated in the upsert, so a clip that appears under another step meanwhile is not taken either. */
const UPSERT_CLIPS = statement(
  'upsert_clips',
  `insert into clips (provider, id, generation_id, step_index, position, status, status_rank, title, tags, lyrics,
                      audio_url, video_url, image_url, duration, model, error_message, uploaded, updated_at)
   select $1, c.id, c.generation_id, c.step_index, c.position, c.status, c.status_rank, c.title, c.tags, c.lyrics,
          c.audio_url, c.video_url, c.image_url, c.duration, c.model, c.error_message, c.uploaded, $2
     from jsonb_to_recordset($3::jsonb) as c(id text, generation_id text, step_index smallint, position smallint, status text,
          status_rank smallint, title text, tags text, lyrics text, audio_url text, video_url text, image_url text,
          duration float8, model text, error_message text, uploaded boolean)
   on conflict (provider, id) do update set
          status = excluded.status, status_rank = excluded.status_rank, title = excluded.title, tags = excluded.tags,
          lyrics = excluded.lyrics, audio_url = excluded.audio_url, video_url = excluded.video_url, image_url = excluded.image_url,
          duration = excluded.duration, model = excluded.model, error_message = excluded.error_message, updated_at = excluded.updated_at
    where clips.generation_id = excluded.generation_id and clips.step_index = excluded.step_index
      and (clips.status_rank < excluded.status_rank
       or (clips.status_rank = excluded.status_rank and clips.status_rank < 3 and clips.audio_url is distinct from excluded.audio_url))
   returning id`,
);
const SET_CLIP_IDS = statement(
  'set_clip_ids',
  `update steps s set clip_ids = v.clip_ids, updated_at = $1
     from jsonb_to_recordset($2::jsonb) as v(generation_id text, index smallint, clip_ids text[])
    where s.generation_id = any($3::text[]) and s.generation_id = v.generation_id and s.index = v.index`,
);
const FINISH_TASKS = statement(
  'finish_tasks',
  `update steps s set upstream_state = v.state, upstream_error = v.error, lyrics = v.lyrics, updated_at = $1
     from jsonb_to_recordset($2::jsonb) as v(generation_id text, index smallint, state text, error text, lyrics jsonb)
    where s.generation_id = any($3::text[]) and s.generation_id = v.generation_id and s.index = v.index and s.upstream_state = 'running'
   returning s.generation_id as "generationId", s.index`,
);
const INSERT_EVENTS = statement(
  'insert_events',
  `insert into generation_events (generation_id, type, data)
   select e.generation_id, e.type, e.data
     from rows from (jsonb_to_recordset($1::jsonb) as (generation_id text, type text, data jsonb)) with ordinality as e(generation_id, type, data, n)
    order by e.n`,
);

/**
 * Apply what upstream says about tasks (poll or callback) with compare-and-set: a clip
 * only moves forward, so a stale or repeated answer changes nothing. A clip belongs to the
 * step that first recorded it: an update of another step naming it changes nothing and is
 * pushed to `refused` (a forged callback must not rewrite another tenant's song).
 * Set-based: a whole poll answer is a handful of statements in one transaction, however many tasks it has.
 */
export async function applyTaskUpdates(db: Db, provider: string, updates: TaskUpdate[], now = new Date(), refused: RefusedClip[] = []): Promise<AppliedChange[]> {
  if (updates.length === 0) return [];
  return inTransaction(db, async (client) => {
    const owners = await run<{ generationId: string; index: number; op: string; clipIds: string[]; taskId: string; state: string | null; webhooks: boolean; submittedAt: Date | null }>(
      client,
      TASK_OWNERS,
      [provider, [...new Set(updates.map((u) => u.taskId))]],
    );
    const ownerOf = new Map(owners.map((o) => [o.taskId, o]));
    // A clip appears once per statement: the most advanced report of it wins (later ones on a tie), as applying them in turn would.
    const clipRows = new Map<string, ClipRow>();
    const clipIdsRows = new Map<string, { generation_id: string; index: number; clip_ids: string[] }>();
    const finishing = new Map<string, { generation_id: string; index: number; state: string; error: string | null; lyrics: unknown }>();
    const applied: (typeof owners)[number][] = [];
    for (const u of updates) {
      const owner = ownerOf.get(u.taskId);
      if (!owner) continue;
      applied.push(owner);
      const key = `${owner.generationId}#${owner.index}`;
      for (const [position, c] of u.clips.entries()) {
        const rec = { ...clipRecord(c, position), generation_id: owner.generationId, step_index: owner.index, uploaded: owner.op === 'upload', owner: key };
        const seen = clipRows.get(c.id);
        if (!seen || seen.status_rank <= rec.status_rank) clipRows.set(c.id, rec);
      }
      if (owner.clipIds.length === 0 && u.clips.length > 0 && !clipIdsRows.has(key)) {
        clipIdsRows.set(key, { generation_id: owner.generationId, index: owner.index, clip_ids: u.clips.map((c) => c.id) });
      }
      if (owner.state === 'running' && u.state !== 'running' && !finishing.has(key)) {
        finishing.set(key, { generation_id: owner.generationId, index: owner.index, state: u.state, error: u.error ?? null, lyrics: u.lyrics ?? null });
      }
    }
    if (applied.length === 0) return [];
    await dropForeignClips(client, provider, clipRows, clipIdsRows, refused);
    const moved = new Set(
      clipRows.size
        ? (await run<{ id: string }>(client, UPSERT_CLIPS, [provider, now, JSON.stringify([...clipRows.values()].map(({ owner: _o, ...r }) => r))])).map((r) => r.id)
        : [],
    );
    // (the id array lets the planner find the rows by primary key: it cannot see into the recordset)
    if (clipIdsRows.size) {
      const rows = [...clipIdsRows.values()];
      await run(client, SET_CLIP_IDS, [now, JSON.stringify(rows), rows.map((r) => r.generation_id)]);
    }
    const finished = new Set(
      finishing.size
        ? (
            await run<{ generationId: string; index: number }>(client, FINISH_TASKS, [
              now,
              JSON.stringify([...finishing.values()]),
              [...finishing.values()].map((f) => f.generation_id),
            ])
          ).map((r) => `${r.generationId}#${r.index}`) : [],
    );
    const events: { generation_id: string; type: string; data: Record<string, unknown> }[] = [];
    const changes: AppliedChange[] = [];
    const reported = new Set<string>();
    const movedByOwner = new Map<string, ClipRow[]>();
    for (const rec of clipRows.values()) {
      if (!moved.has(rec.id)) continue;
      const list = movedByOwner.get(rec.owner);
      if (list) list.push(rec);
      else movedByOwner.set(rec.owner, [rec]);
    }
    for (const owner of applied) {
      const key = `${owner.generationId}#${owner.index}`;
      if (reported.has(key)) continue;
      reported.add(key);
      const streamingClips: string[] = [];
      let clipEvents = 0;
      for (const rec of movedByOwner.get(key) ?? []) {
        events.push({ generation_id: owner.generationId, type: 'clip', data: { id: rec.id, step: owner.index, status: rec.status, audio_url: rec.audio_url } });
        clipEvents++;
        if (rec.status === 'streaming') streamingClips.push(rec.id);
      }
      const done = finished.has(key);
      if (!done && !clipEvents) continue;
      const change: AppliedChange = { generationId: owner.generationId, index: owner.index, finished: done, streamingClips, webhooks: owner.webhooks };
      if (done) Object.assign(change, { op: owner.op, submittedAt: owner.submittedAt, state: finishing.get(key)?.state });
      changes.push(change);
    }
    if (events.length) await run(client, INSERT_EVENTS, [JSON.stringify(events)]);
    return changes;
  });
}

/** Take out of this statement's rows the clips another step owns, and report them. */
async function dropForeignClips(
  client: Parameters<typeof run>[0],
  provider: string,
  clipRows: Map<string, ClipRow>,
  clipIdsRows: Map<string, { clip_ids: string[] }>,
  refused: RefusedClip[],
): Promise<void> {
  if (clipRows.size === 0) return;
  const existing = await run<{ id: string; generationId: string; index: number }>(client, CLIP_OWNERS, [provider, [...clipRows.keys()]]);
  const foreign = new Set<string>();
  for (const e of existing) {
    const row = clipRows.get(e.id)!;
    if (row.generation_id === e.generationId && row.step_index === e.index) continue;
    foreign.add(e.id);
    clipRows.delete(e.id);
    refused.push({ id: e.id, generationId: row.generation_id, index: row.step_index });
  }
  if (foreign.size === 0) return;
  for (const r of clipIdsRows.values()) r.clip_ids = r.clip_ids.filter((id) => !foreign.has(id));
}
