import type { Crash } from './infra';
import { INVARIANTS } from './invariants';
import type { ClipRow, GenerationRow, LingeringJobs, StepRow } from './observe';
import { submissionKey, type RecordingSimulator } from './recording-sim';
import type { ChaosEvent, ChaosReport, Submitted } from './types';

/**
 * The invariants over the generations, the submissions the simulators recorded, the
 * queues, the processes and the clients' POSTs. Each check pushes what it finds broken
 * onto `violations`, in the order the report lists them, and returns its counts.
 */

export type Violations = ChaosReport['violations'];

const FINAL = new Set(['succeeded', 'failed', 'canceled']);

/** Every generation final; succeeded ones complete; never-finishing ones timed out. */
export function checkGenerations(submitted: Submitted[], byId: Map<string, GenerationRow>, stepRows: StepRow[], clipRows: ClipRow[], violations: Violations) {
  const byStatus: Record<string, number> = {};
  const byScenario: Record<string, Record<string, number>> = {};
  const failuresByCode: Record<string, number> = {};
  const never = { total: 0, timedOut: 0, notSubmitted: 0 };
  let falseTimeouts = 0;
  for (const g of submitted) {
    const row = byId.get(g.id!);
    const status = row?.status ?? 'missing';
    byStatus[status] = (byStatus[status] ?? 0) + 1;
    (byScenario[g.scenario] ??= {})[status] = (byScenario[g.scenario]![status] ?? 0) + 1;
    if (status === 'failed') failuresByCode[row!.error?.code ?? '?'] = (failuresByCode[row!.error?.code ?? '?'] ?? 0) + 1;
    if (!FINAL.has(status)) {
      const s = stepRows.filter((x) => x.generation_id === g.id).map((x) => `${x.index}:${x.op}:${x.status}`).join(' ');
      violations.push({ invariant: INVARIANTS.final, detail: `${g.id} (#${g.n} ${g.scenario}) is ${status}; steps ${s}` });
    }
    const mySteps = stepRows.filter((x) => x.generation_id === g.id);
    const myClips = clipRows.filter((x) => x.generation_id === g.id);
    if (status === 'succeeded') {
      const notDone = myClips.filter((c) => c.status !== 'complete');
      const stepsNotDone = mySteps.filter((s) => s.status !== 'succeeded');
      if (notDone.length || stepsNotDone.length) {
        violations.push({
          invariant: INVARIANTS.clipsComplete,
          detail: `${g.id} (#${g.n} ${g.scenario}): clips not complete ${notDone.map((c) => `${c.id}=${c.status}`).join(',') || '-'}; steps not succeeded ${stepsNotDone.map((s) => s.index).join(',') || '-'}`,
        });
      }
      const empty = mySteps.filter((s) => s.op !== 'lyrics' && !myClips.some((c) => c.step_index === s.index));
      if (empty.length) {
        violations.push({
          invariant: INVARIANTS.clipsRecorded,
          detail: `${g.id} (#${g.n} ${g.scenario}, provider ${g.provider}): no clip recorded for step ${empty.map((s) => `${s.index} ${s.op}`).join(', ')}`,
        });
      }
    }
    if (g.scenario === 'never') {
      never.total++;
      const s0 = mySteps.find((s) => s.index === 0);
      if (!s0?.upstream_task_id) never.notSubmitted++;
      else if (status === 'failed' && row?.error?.code === 'upstream_timeout') never.timedOut++;
      else {
        violations.push({
          invariant: INVARIANTS.never,
          detail: `${g.id} (#${g.n}, provider ${g.provider}) is ${status} with ${row?.error?.code ?? 'no error'}`,
        });
      }
    } else if (status === 'failed' && row?.error?.code === 'upstream_timeout') {
      falseTimeouts++;
    }
  }
  return { byStatus, byScenario, failuresByCode, never, falseTimeouts };
}

/** Each recorded task was accepted on its provider's simulator, once, and never submitted again. */
export function checkSubmissions(
  sims: RecordingSimulator[],
  simOf: (provider: string) => RecordingSimulator,
  stepRows: StepRow[],
  events: ChaosEvent[],
  violations: Violations,
) {
  // --- submissions: one accepted submission per recorded task, none after it ----------
  // Over both simulators: a body accepted by pb and again by pa was paid twice as surely as one accepted twice by one.
  const accepted = sims.flatMap((x) => x.submissions).filter((s) => s.accepted);
  const byKey = new Map<string, typeof accepted>();
  for (const s of accepted) {
    const k = submissionKey(s);
    byKey.set(k, [...(byKey.get(k) ?? []), s]);
  }
  let duplicates = 0;
  for (const group of byKey.values()) duplicates += group.length - 1;
  const matched = new Set<(typeof accepted)[number]>();
  let afterRecord = 0;
  const withTask = stepRows.filter((s) => s.upstream_task_id);
  for (const s of withTask) {
    const id = s.upstream_task_id!;
    const mine = accepted.find((a) => a.answer.includes(`"${id}"`));
    if (!mine) {
      violations.push({ invariant: INVARIANTS.recorded, detail: `step ${s.generation_id}#${s.index} task ${id} not found among accepted submissions` });
      continue;
    }
    matched.add(mine);
    if (mine.on !== simOf(s.provider).name) {
      violations.push({
        invariant: INVARIANTS.memberRecorded,
        detail: `step ${s.generation_id}#${s.index} (${s.op}) names provider ${s.provider}, but its task ${id} was made by simulator ${mine.on}`,
      });
    }
    const group = byKey.get(submissionKey(mine)) ?? [mine];
    // The task's own submission is not a resubmission: a step adopted from its callback has
    // submitted_at = its intent's time (early-callback.ts), before that submission arrived.
    const later = group.filter((a) => a !== mine && s.submitted_at && a.at > s.submitted_at.getTime());
    if (later.length) {
      afterRecord += later.length;
      violations.push({
        invariant: INVARIANTS.noResubmit,
        detail: `step ${s.generation_id}#${s.index} (${s.op}) recorded task ${id} at ${s.submitted_at!.toISOString()}, then was submitted ${later.length} more time(s)`,
      });
    }
  }
  if (duplicates > 0) {
    const twice = [...byKey.values()].filter((g) => g.length > 1).map((g) => `${g[0]!.path} ×${g.length}`);
    violations.push({ invariant: INVARIANTS.paidOnce, detail: `${duplicates} duplicate submission(s): ${twice.slice(0, 5).join(', ')}` });
  }
  const orphaned = accepted.length - matched.size;
  for (const a of accepted) {
    if (matched.has(a)) continue;
    const ev = [...events].reverse().find((e) => a.at >= e.startedAt - 500 && a.at <= e.startedAt + e.ms + 500);
    if (ev) ev.orphaned = (ev.orphaned ?? 0) + 1;
  }
  return { accepted, withTask, afterRecord, duplicates, orphaned };
}

/** No job left in the queues. */
export function checkLingering(lingeringJobs: LingeringJobs, violations: Violations): void {
  const lingeringViolations = Object.entries(lingeringJobs).flatMap(([q, c]) =>
    Object.entries(c)
      .filter(([, v]) => v > 0)
      .map(([state, v]) => `${q}: ${v} ${state}`),
  );
  if (lingeringViolations.length) {
    violations.push({ invariant: INVARIANTS.noLingering, detail: lingeringViolations.join('; ') });
  }
}

/** No process died on its own. */
export function checkCrashes(crashes: Crash[], t0: number, violations: Violations): void {
  for (const c of crashes) {
    const why = c.tail.split('\n').find((l) => /^\w*Error|^error:|Unhandled|unhandled/.test(l.trim())) ?? `exit code ${c.code}`;
    violations.push({ invariant: INVARIANTS.noCrash, detail: `${c.name} exited by itself at +${((c.at - t0) / 1000).toFixed(1)} s (code ${c.code}, signal ${c.signal}): ${why.trim()}` });
  }
}

/** The clients' POST failures by kind; a 500 among them breaks api503. */
export function checkPosts(submitted: Submitted[], violations: Violations): Record<string, number> {
  const postFailureKinds: Record<string, number> = {};
  for (const g of submitted) for (const f of g.postFailures) postFailureKinds[f] = (postFailureKinds[f] ?? 0) + 1;
  if (postFailureKinds['http 500']) {
    violations.push({ invariant: INVARIANTS.api503, detail: `${postFailureKinds['http 500']} POST /v1/generations answered 500 during the outages` });
  }
  return postFailureKinds;
}
