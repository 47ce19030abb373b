import { randomBytes } from 'node:crypto';
import type { Job } from 'bullmq';
import type { StepInput } from '@refrain/contracts';
import { RefrainError, SubmitOutcomeUnknownError, UpstreamError, isOutcomeUnknown, isRefrainError, namedClip } from '@refrain/core';
import { clipOrigin, failStep, markSubmitting, recordSubmission, releaseIntent, sha256, type StepContext, type StepRoute } from '@refrain/db';
import { DelayedError, UnrecoverableError } from '@refrain/queue';
import { countPoolChoice, countPoolSubmission, observeStepDuration } from '@refrain/observability';
import type { SubmitRequest, TaskSnapshot } from '@refrain/providers';
import { clock, type EngineDeps, type ProviderRuntime } from './deps';
import { ProviderBusyError, isSlowDown } from './limits';
import { persistently } from './persist';
import { failoverReason, failoverWords, isCreditRefusal, noteOutOfCredits, routeStep, type FailoverReason, type StepRouting } from './pools';
import { previousLyrics, resolveSource, type StepOutput } from './step-source';
import { emitWebhookSafely } from './webhooks';

type Log = EngineDeps['logger'];
/** What a submission recorded, or undefined when nothing was (another run got there first). */
export type Submitted = { state: string; deadline: Date } | undefined;
/** One attempt on one provider: done (recorded, parked or thrown), or moved on to the next member. */
type Attempt = { kind: 'done'; value: Submitted } | { kind: 'failover'; reason: FailoverReason; err?: unknown };

/** A failed submission that made nothing upstream: refused or never sent (an unknown outcome may have). */
const createdNothing = (e: unknown): boolean => (e instanceof UpstreamError && e.outcome !== 'unknown') || e instanceof ProviderBusyError;

/** Webhooks go only where the generation asked for them (its callback_url never changes). */
export const wantsWebhooks = (ctx: StepContext): boolean => !!ctx.generation.callbackUrl;

/** Sleep as a delayed job without spending an attempt (limits, breaker, 429). */
async function park(job: Job, token: string | undefined, ms: number): Promise<never> {
  await job.moveToDelayed(Date.now() + ms + Math.floor(Math.random() * 250), token);
  throw new DelayedError();
}

/**
 * Submit a pending step: to its provider, or for a step of a pool to the members in the
 * order the pool chose, moving on at once (no attempt spent) while a member provably made
 * nothing — never after an unknown outcome (docs/providers.md, "Provider pools").
 */
export async function submitStep(deps: EngineDeps, job: Job, token: string | undefined, ctx: StepContext, log: Log): Promise<Submitted> {
  let routing: StepRouting;
  try {
    routing = await routeStep(deps, ctx);
  } catch (err) {
    return await onSubmitError(deps, job, ctx, err, log);
  }
  if (routing.kind === 'direct') {
    const r = await attempt(deps, job, token, ctx, routing.runtime, null, false, log);
    return r.kind === 'done' ? r.value : undefined; // a single provider never fails over
  }
  const failovers: StepRoute['failovers'] = [];
  for (const [i, c] of routing.candidates.entries()) {
    const provider = c.runtime.config.name;
    const route: StepRoute = { pool: routing.pool, provider, reason: c.reason, at: new Date(clock(deps)).toISOString(), passed: routing.passed, failovers: [...failovers] };
    const canFailOver = !routing.pinned && i < routing.candidates.length - 1;
    countPoolChoice(routing.pool, provider, c.condition);
    log.info({ pool: routing.pool, provider, reason: c.reason, failovers: failovers.length }, 'pool chose a member');
    const r = await attempt(deps, job, token, ctx, c.runtime, route, canFailOver, log);
    if (r.kind === 'done') return r.value;
    const reason = failoverWords(r.reason, r.err);
    failovers.push({ provider, reason, at: new Date(clock(deps)).toISOString() });
    countPoolSubmission(routing.pool, provider, 'failed_over', r.reason);
    log.warn({ pool: routing.pool, provider, reason: r.reason, err: (r.err as Error | undefined)?.message, next: routing.candidates[i + 1]!.runtime.config.name }, 'failing over: the member made nothing');
  }
  throw new RefrainError({ code: 'internal', retry: true, message: 'the pool ran out of members without an answer; will retry' });
}

/** One submission to one provider. `route` is the pool's record of the choice (null: not a pool step). */
async function attempt(
  deps: EngineDeps,
  job: Job,
  token: string | undefined,
  ctx: StepContext,
  runtime: ProviderRuntime,
  route: StepRoute | null,
  canFailOver: boolean,
  log: Log,
): Promise<Attempt> {
  const generationId = ctx.generation.id;
  const index = ctx.step.index;
  const { config, adapter } = runtime;
  const input = ctx.step.input as StepInput;
  const pooled = (outcome: 'accepted' | 'failed' | 'unknown') => route && countPoolSubmission(route.pool, config.name, outcome);
  try {
    // The first step has no child job: no need to ask the queue for children values.
    const children = ctx.previous ? (Object.values((await job.getChildrenValues()) ?? {}) as StepOutput[]) : [];
    const named = namedClip(input);
    const origin = named ? await clipOrigin(deps.database.db, config.name, named) : null;
    const source = resolveSource(input, ctx, children[0], origin);
    const lyrics = previousLyrics(ctx, children[0]);
    const useCallbacks = config.callbacks && adapter.supportsCallbacks;
    const hookToken = useCallbacks ? randomBytes(24).toString('base64url') : null;
    await deps.guard.permit(config);
    // The request slot comes first: the intent is recorded only once the request can go out at once.
    const slotAt = await deps.guard.slot(config, 'submit');
    const intent = await markSubmitting(deps.database.db, generationId, index, hookToken ? sha256(hookToken) : null, {
      provider: config.name,
      maxInFlight: config.max_in_flight,
      ...(route ? { route } : {}),
    });
    if (intent === 'limited') {
      if (canFailOver) return { kind: 'failover', reason: 'at_capacity' };
      log.debug({ provider: config.name, maxInFlight: config.max_in_flight }, 'provider at max_in_flight; step waits');
      return await park(job, token, 1000);
    }
    if (!intent) return { kind: 'done', value: undefined }; // another run got here first
    if (intent.submitAttempts > 1) log.info({ attempt: intent.submitAttempts }, 'submitting again: the previous attempt was refused or never sent');
    // Not awaited: the request's slot is running (listeners re-read Postgres whenever the notice lands; publish never throws).
    void deps.notifier.publish(generationId);
    const model = ('mv' in input && input.mv) || adapter.defaultModel;
    const req: SubmitRequest = {
      op: input.op,
      input: input as unknown as Record<string, unknown>,
      model,
      ...(source ? { source } : {}),
      ...(lyrics ? { lyrics } : {}),
      ...(hookToken ? { notifyHook: `${deps.publicHooksUrl.replace(/\/$/, '')}/hooks/${config.name}/${hookToken}` } : {}),
    };
    const task = await submitOnce(deps, runtime, req, slotAt, log).catch(async (err: unknown) => {
      // Provably nothing made upstream: give the intent back, so a retry (or the next member) is a fresh submission.
      if (createdNothing(err)) await persistently(() => releaseIntent(deps.database.db, generationId, index), { attempts: 5 });
      throw err;
    });
    const deadline = new Date(clock(deps) + config.deadline_s * 1000);
    const recorded = await persistently(
      () => recordSubmission(deps.database.db, generationId, index, config.name, task, deadline, input.op === 'upload'),
      { onRetry: (err, attempt) => log.warn({ attempt, err: (err as Error).message, taskId: task.taskId }, 'could not record the upstream task yet; retrying') },
    );
    pooled('accepted');
    await deps.notifier.publish(generationId);
    log.info({ provider: config.name, taskId: task.taskId, clips: task.clips.length, state: task.state }, 'step submitted');
    return { kind: 'done', value: recorded ? { state: task.state, deadline } : undefined };
  } catch (err) {
    if (err instanceof DelayedError) throw err;
    if (isCreditRefusal(err)) await noteOutOfCredits(deps.guard, runtime, () => clock(deps), log);
    const reason = canFailOver ? failoverReason(err) : null;
    if (reason) return { kind: 'failover', reason, err };
    pooled(err instanceof SubmitOutcomeUnknownError ? 'unknown' : 'failed');
    if (isSlowDown(err)) {
      log.info({ provider: config.name, code: err.code, message: err.message, retryAfterMs: err.retryAfterMs }, 'provider asked us to slow down; step waits');
      return await park(job, token, err.retryAfterMs ?? 5000);
    }
    return await onSubmitError(deps, job, ctx, err, log);
  }
}

/**
 * One submission, never two. When its outcome is unknown (sent, no usable answer) it is
 * not re-sent: the task it may have made is looked for by query where the dialect can
 * (the answer named it), and otherwise the step fails with submit_outcome_unknown.
 */
async function submitOnce(deps: EngineDeps, runtime: ProviderRuntime, req: SubmitRequest, slotAt: number, log: Log): Promise<TaskSnapshot> {
  const { config, adapter } = runtime;
  try {
    return await deps.guard.withSlot(config, 'submit', slotAt, () => adapter.submit(req));
  } catch (err) {
    if (!isOutcomeUnknown(err)) throw err;
    log.warn({ provider: config.name, err: err.message, taskId: err.taskId }, 'submission sent, outcome unknown; not sending it again');
    const named: TaskSnapshot | undefined = err.taskId ? { taskId: err.taskId, state: 'running', clips: [] } : undefined;
    // The look-up is an upstream call like any other (rate gate, breaker); if it cannot be made, a named id still stands.
    const recover = adapter.recover?.bind(adapter);
    const found = recover ? await deps.guard.call(config, 'poll', () => recover(req, err)).then((r) => r.value, () => named) : undefined;
    if (found) {
      log.info({ taskId: found.taskId, state: found.state }, 'recovered the task of a submission whose answer was lost');
      return found;
    }
    throw new SubmitOutcomeUnknownError(
      err,
      err.taskId ? `the task ${err.taskId} it named could not be found` : `${config.dialect} cannot look a task up without its id`,
    );
  }
}

async function onSubmitError(deps: EngineDeps, job: Job, ctx: StepContext, err: unknown, log: Log): Promise<never> {
  const { generationId } = ctx.step;
  const index = ctx.step.index;
  const e = isRefrainError(err) ? err : new RefrainError({ code: 'internal', retry: true, message: String(err), cause: err });
  const lastAttempt = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
  if (!e.retry || lastAttempt) {
    const failure = { code: e.code, message: e.message, step: index };
    // An unknown outcome must be written down: a retried job would find the step still `submitting` and send it again.
    if (e instanceof SubmitOutcomeUnknownError) await persistently(() => failStep(deps.database.db, generationId, index, failure));
    else await failStep(deps.database.db, generationId, index, failure);
    await deps.notifier.publish(generationId);
    if (wantsWebhooks(ctx)) await emitWebhookSafely(deps, generationId, 'generation.failed');
    log.warn({ code: e.code, message: e.message, attempts: job.attemptsMade + 1 }, 'submission failed for good');
    observeStepDuration(ctx.step.op, ctx.step.provider, 'failed', ctx.step.startedAt, clock(deps));
    throw new UnrecoverableError(e.message);
  }
  log.warn({ code: e.code, message: e.message, retryAfterMs: e.retryAfterMs }, 'submission failed; will retry');
  throw e;
}
