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

/**
 * Per operation, one range of steps_poll_idx: the steps of that operation old enough to be
 * a candidate (by their own cutoff with or without a callback), after the cursor, oldest
 * first; merged in that order. Steps too young to be done are never read.
 */
const ranges = (after: string, limit: string) => `
  from unnest($2::text[], $3::timestamptz[], $4::timestamptz[]) as r(op, plain_before, callback_before)
  cross join lateral (
    select s.generation_id, s.index, s.op, s.upstream_task_id, s.clip_ids, s.submitted_at, s.callback_token_hash
      from steps s
     where s.provider = $1 and s.op = r.op and s.status = 'waiting' and s.upstream_state = 'running'
       and s.submitted_at <= greatest(r.plain_before, r.callback_before)
       and (s.submitted_at <= r.plain_before and s.callback_token_hash is null
            or s.submitted_at <= r.callback_before and s.callback_token_hash is not null)
       and (s.submitted_at, s.generation_id, s.index) > ${after}
     order by s.submitted_at, s.generation_id, s.index
     ${limit}
  ) c`;

const POLL_CANDIDATES = statement(
  'poll_candidates',
  `select c.generation_id as "generationId", c.index, c.op, c.upstream_task_id as "taskId", c.clip_ids as "clipIds",
          c.submitted_at as "submittedAt", c.callback_token_hash is not null as "callback"
   ${ranges('($5::timestamptz, $6::text, $7::int)', 'limit $8')}
   order by c.submitted_at, c.generation_id, c.index
   limit $8`,
);

/** The statement's text, for checks of its plan. */
export const POLL_CANDIDATES_SQL = POLL_CANDIDATES.text;

/** When steps of an operation become candidates: those without a callback submitted at or before `plainBefore`, those with one at or before `callbackBefore`. */
export interface CandidateCutoff {
  op: string;
  plainBefore: Date;
  callbackBefore: Date;
}

export interface CandidatePage {
  /** One per operation that may wait (operations left out are not read). */
  cutoffs: CandidateCutoff[];
  /** Start after this candidate (the last of the previous page); null: from the oldest. */
  after: Pick<PollCandidate, 'submittedAt' | 'generationId' | 'index'> | null;
  limit: number;
}

const rangeParams = (provider: string, cutoffs: CandidateCutoff[]) => [
  provider,
  cutoffs.map((c) => c.op),
  cutoffs.map((c) => c.plainBefore),
  cutoffs.map((c) => c.callbackBefore),
];

/** One page of a provider's waiting steps old enough to be worth a status query, oldest first. */
export async function pollCandidates(db: Db, provider: string, page: CandidatePage): Promise<PollCandidate[]> {
  const a = page.after;
  return run<PollCandidate>(db, POLL_CANDIDATES, [
    ...rangeParams(provider, page.cutoffs),
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
  `select count(*)::int as "candidates" ${ranges("('-infinity'::timestamptz, '', -1)", '')}`,
);

/** How many steps of the provider wait on upstream (a count of steps_poll_idx: it grows with them, so the poller asks rarely). */
export async function countWaiting(db: Db, provider: string): Promise<number> {
  const [w] = await run<{ waiting: number }>(db, COUNT_WAITING, [provider]);
  return w?.waiting ?? 0;
}

/** How many waiting steps are candidates by these cutoffs (the ranges pollCandidates reads). */
export async function countPollCandidates(db: Db, provider: string, cutoffs: CandidateCutoff[]): Promise<number> {
  const [c] = await run<{ candidates: number }>(db, COUNT_CANDIDATES, rangeParams(provider, cutoffs));
  return c?.candidates ?? 0;
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
