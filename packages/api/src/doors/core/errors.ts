import type { Response } from 'express';
import { HttpProblem, problem } from '../../http/problem';
import type { DoorTask } from './task-view';

/**
 * The HTTP status a door answers for a generation that failed while the door held the
 * request (a blocking answer, a submission refused at once). The message is the upstream's
 * own words where it refused or failed.
 */
export const FAILURE_STATUS: Record<string, number> = {
  upstream_rejected: 400,
  upstream_failed: 500,
  upstream_timeout: 504,
  upstream_unavailable: 503,
  upstream_bad_response: 502,
  submit_outcome_unknown: 502,
  canceled: 409,
  internal: 500,
};

export function failureProblem(task: DoorTask): HttpProblem {
  const f = task.failure ?? { code: 'internal', message: 'failed' };
  return problem(FAILURE_STATUS[f.code] ?? 500, f.message, { code: f.code });
}

/**
 * A problem of Refrain's generation API (validation, planning) in a door's words: the door's
 * own field names instead of the step's, and no "step 0" (a door request is one step).
 */
export function inDoorWords(p: HttpProblem, names: Readonly<Record<string, string>> = {}): HttpProblem {
  const issues = p.extra.issues as { path: (string | number)[]; message: string }[] | undefined;
  const first = issues?.[0];
  let message = p.detail ?? p.title;
  if (first && first.path[0] === 'steps') {
    const field = first.path.slice(2).map(String);
    const name = field.length ? [names[field[0]!] ?? field[0], ...field.slice(1)].join('.') : 'request';
    message = `${name}: ${first.message}`;
  } else {
    message = message.replace(/^step \d+ \([a-z_]+\): /, '').replace(/^request body: steps\.\d+\.?/, '');
    for (const [ours, theirs] of Object.entries(names)) message = message.replace(new RegExp(`\\b${ours}\\b`, 'g'), theirs);
  }
  return new HttpProblem(p.status, p.title, message, p.extra, p.headers);
}

/** What a problem says, for an envelope: its detail, else its title. */
export const messageOf = (p: HttpProblem): string => p.detail ?? p.title;

/** The headers a problem carries (Retry-After, WWW-Authenticate), set on a door's answer. */
export function setProblemHeaders(res: Response, p: HttpProblem): void {
  for (const [k, v] of Object.entries(p.headers)) res.setHeader(k, v);
}
