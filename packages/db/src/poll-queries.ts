import type { Db } from './connect';
import { run, statement } from './prepared';

/** A waiting step as the poller sees it. */
export interface PollCandidate {
  generationId: string;
  index: number;
  op: string;
  taskId: string | null;
  clipIds: string[];
  submittedAt: Date;
  /** Submitted with a notify_hook: its callback is expected first. */
  callback: boolean;
}

const POLL_CANDIDATES = statement(
  'poll_candidates',
  `select generation_id as "generationId", index, op, upstream_task_id as "taskId", clip_ids as "clipIds",
          submitted_at as "submittedAt", callback_token_hash is not null as "callback"
     from steps
    where provider = $1 and status = 'waiting' and upstream_state = 'running'
      and submitted_at <= greatest($2::timestamptz, $3::timestamptz)
      and (submitted_at <= $2::timestamptz and callback_token_hash is null or submitted_at <= $3::timestamptz and callback_token_hash is not null)
      and (submitted_at, generation_id, index) > ($4::timestamptz, $5::text, $6::int)
    order by submitted_at, generation_id, index
    limit $7`,
);

export interface CandidatePage {
  /** Steps without a callback submitted at or before this are candidates ... */
  plainBefore: Date;
  /** ... and steps with one at or before this. */
  callbackBefore: Date;
  /** Start after this candidate (the last of the previous page); null: from the oldest. */
  after: Pick<PollCandidate, 'submittedAt' | 'generationId' | 'index'> | null;
  limit: number;
}

/**
 * One page of a provider's waiting steps old enough to be worth a status query, oldest
 * first (steps_poll_idx: a range scan; steps too young to be done are never read).
 */
export async function pollCandidates(db: Db, provider: string, page: CandidatePage): Promise<PollCandidate[]> {
  const a = page.after;
  return run<PollCandidate>(db, POLL_CANDIDATES, [
    provider,
    page.plainBefore,
    page.callbackBefore,
    a ? a.submittedAt : new Date(0),
    a ? a.generationId : '',
    a ? a.index : -1,
    page.limit,
  ]);
}

const COUNT_WAITING = statement(
  'count_waiting',
  `select count(*)::int as "waiting" from steps where provider = $1 and status = 'waiting' and upstream_state = 'running'`,
);
const COUNT_CANDIDATES = statement(
  'count_poll_candidates',
  `select count(*)::int as "waiting",
          count(*) filter (where submitted_at <= $2::timestamptz and callback_token_hash is null
                              or submitted_at <= $3::timestamptz and callback_token_hash is not null)::int as "candidates"
     from steps where provider = $1 and status = 'waiting' and upstream_state = 'running'`,
);

/**
 * How many steps of the provider wait on upstream (an index-only count of steps_poll_idx),
 * and, given a candidate range, how many of them are candidates (which reads their rows).
 */
export async function countPollCandidates(
  db: Db,
  provider: string,
  range: Pick<CandidatePage, 'plainBefore' | 'callbackBefore'> | null,
): Promise<{ waiting: number; candidates: number | null }> {
  if (!range) {
    const [row] = await run<{ waiting: number }>(db, COUNT_WAITING, [provider]);
    return { waiting: row?.waiting ?? 0, candidates: null };
  }
  const [row] = await run<{ waiting: number; candidates: number }>(db, COUNT_CANDIDATES, [provider, range.plainBefore, range.callbackBefore]);
  return row ?? { waiting: 0, candidates: 0 };
}

const UNSETTLED = statement(
  'unsettled_steps',
  `select generation_id as "generationId", index from steps
    where status = 'waiting' and upstream_state in ('complete', 'error') and provider = $1 and updated_at < $2
    limit $3`,
);

/**
 * Steps whose task is over (in Postgres) but which their job has not settled since
 * `before`: a promote that got lost. A scan of steps_unsettled_idx, which holds only the
 * steps between their task's end and their job's next look (normally milliseconds).
 */
export async function unsettledSteps(db: Db, provider: string, before: Date, limit = 500): Promise<{ generationId: string; index: number }[]> {
  return run(db, UNSETTLED, [provider, before, limit]);
}
