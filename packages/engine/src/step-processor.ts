import { randomBytes } from 'node:crypto';
import type { Job } from 'bullmq';
import { JOBS, type StepInput } from '@refrain/contracts';
import { RefrainError, SubmitOutcomeUnknownError, UpstreamError, decideStep, isOutcomeUnknown, isRefrainError, namedClip } from '@refrain/core';
import {
  cancelPendingStep,
  clipOrigin,
  failStep,
  loadStepContext,
  loadStepContextSettling,
  markSubmitting,
  recordSubmission,
  releaseIntent,
  sha256,
  stepUpstreamState,
  succeedStep,
  type StepContext,
} from '@refrain/db';
import { DelayedError, UnrecoverableError } from '@refrain/queue';
import { observeStepDuration } from '@refrain/observability';
import { clock, providerOf, recheckMs, type EngineDeps } from './deps';
import type { SubmitRequest, TaskSnapshot } from '@refrain/providers';
import { previousLyrics, resolveSource, type StepOutput } from './step-source';
import { emitWebhookSafely } from './webhooks';
import { ProviderBusyError, isSlowDown } from './limits';
import { persistently } from './persist';

const outputOf = (ctx: StepContext): StepOutput => ({
  clips: ctx.step.clipIds,
  taskId: ctx.step.upstreamTaskId,
  uploaded: ctx.step.op === 'upload',
  lyrics: (ctx.step.lyrics as StepOutput['lyrics']) ?? null,
});

/**
 * The step job (SPEC section 2): submit once, then wait on Postgres until the poller or a
 * callback says the upstream task is over. Postgres is written before the queue moves on.
 */
export function createStepProcessor(deps: EngineDeps) {
  return async function processStep(job: Job, token?: string): Promise<StepOutput | null> {
    const { generationId, index } = JOBS.step.schema.parse(job.data);
    const log = deps.logger.child({ generationId, step: index, jobId: job.id });
    const succeeded = async (ctx: StepContext, status: string | null): Promise<StepOutput> => {
      const output = outputOf(ctx);
      await deps.notifier.publish(generationId);
      log.info({ clips: output.clips.length }, 'step succeeded');
      observeStepDuration(ctx.step.op, ctx.step.provider, 'succeeded', ctx.step.startedAt, clock(deps));
      if (wantsWebhooks(ctx)) {
        await emitWebhookSafely(deps, generationId, 'step.succeeded', index);
        if (status === 'succeeded') await emitWebhookSafely(deps, generationId, 'generation.succeeded');
      }
      return output;
    };
    for (let round = 0; round < 3; round++) {
      // The first look also succeeds the step when upstream already finished it (a woken job: one round trip).
      const { ctx, settled } =
        round === 0
          ? await loadStepContextSettling(deps.database.db, generationId, index)
          : { ctx: await loadStepContext(deps.database.db, generationId, index), settled: undefined };
      if (!ctx) {
        log.warn('step job without a step row; dropping it');
        return null;
      }
      if (settled !== undefined) return await succeeded(ctx, settled);
      const { config } = providerOf(deps, ctx.step.provider);
      const now = clock(deps);
      const decision = decideStep(
        {
          status: ctx.step.status as never,
          generationStatus: ctx.generation.status as never,
          upstreamState: ctx.step.upstreamState as never,
          upstreamError: ctx.step.upstreamError,
          deadlineAt: ctx.step.deadlineAt?.getTime() ?? null,
          intentAt: ctx.step.updatedAt?.getTime() ?? null,
          awaitsCallback: ctx.step.callbackTokenHash !== null,
        },
        now,
        recheckMs(config),
        // An interrupted submission's callback comes when its task ends: wait as long as a task may take.
        { callbackWindowMs: config.deadline_s * 1000 },
      );
      switch (decision.kind) {
        case 'skip':
          if (ctx.step.status === 'pending' || ctx.step.status === 'submitting') {
            await cancelPendingStep(deps.database.db, generationId, index);
            await deps.notifier.publish(generationId);
          }
          log.debug({ reason: decision.reason }, 'step skipped');
          return outputOf(ctx);
        case 'submit': {
          const recorded = await submit(deps, job, token, ctx, log);
          // Still running upstream (the usual answer): wait at once; Postgres has just said so.
          if (recorded && recorded.state === 'running') {
            await waitFor(deps, job, token, generationId, index, Math.min(clock(deps) + recheckMs(config), recorded.deadline.getTime()));
          }
          continue; // look again: an answer may already be final
        }
        case 'succeed': {
          const output = outputOf(ctx);
          return await succeeded(ctx, await succeedStep(deps.database.db, generationId, index, { clips: output.clips, lyrics: output.lyrics }));
        }
        case 'fail':
          await failStep(deps.database.db, generationId, index, { code: decision.code, message: decision.message, step: index });
          await deps.notifier.publish(generationId);
          log.warn({ code: decision.code, message: decision.message }, 'step failed');
          observeStepDuration(ctx.step.op, ctx.step.provider, 'failed', ctx.step.startedAt, clock(deps));
          if (wantsWebhooks(ctx)) await emitWebhookSafely(deps, generationId, 'generation.failed');
          throw new UnrecoverableError(decision.message);
        case 'wait':
          await waitFor(deps, job, token, generationId, index, decision.untilMs);
      }
    }
    throw new RefrainError({ code: 'internal', retry: true, message: 'step did not settle; will retry' });
  };
}

/** A failed submission that made nothing upstream: refused or never sent (an unknown outcome may have). */
const createdNothing = (e: unknown): boolean => (e instanceof UpstreamError && e.outcome !== 'unknown') || e instanceof ProviderBusyError;

/** Webhooks go only where the generation asked for them (its callback_url never changes). */
const wantsWebhooks = (ctx: StepContext): boolean => !!ctx.generation.callbackUrl;

/** Park the job until `untilMs` (the poller or a callback promotes it sooner). */
async function waitFor(deps: EngineDeps, job: Job, token: string | undefined, generationId: string, index: number, untilMs: number): Promise<never> {
  // Submitted: when it wakes it goes ahead of the submissions still queued (JOBS.step.priority).
  if (job.priority) await job.changePriority({ priority: JOBS.step.priority.waiting });
  await job.moveToDelayed(untilMs, token);
  // Closes the race with the poller: if upstream finished while we were deciding,
  // its promote may have missed us, so look once more and wake ourselves.
  if (await finishedMeanwhile(deps, generationId, index)) await job.promote().catch(() => {});
  throw new DelayedError();
}

async function finishedMeanwhile(deps: EngineDeps, generationId: string, index: number): Promise<boolean> {
  const state = await stepUpstreamState(deps.database.db, generationId, index);
  return state !== null && state !== 'running';
}

/** Sleep as a delayed job without spending an attempt (limits, breaker, 429). */
async function park(job: Job, token: string | undefined, ms: number): Promise<never> {
  await job.moveToDelayed(Date.now() + ms + Math.floor(Math.random() * 250), token);
  throw new DelayedError();
}

/** What a submission recorded, or undefined when nothing was (another run got there first). */
async function submit(
  deps: EngineDeps,
  job: Job,
  token: string | undefined,
  ctx: StepContext,
  log: EngineDeps['logger'],
): Promise<{ state: string; deadline: Date } | undefined> {
  const generationId = ctx.generation.id;
  const index = ctx.step.index;
  const { config, adapter } = providerOf(deps, ctx.step.provider);
  const input = ctx.step.input as StepInput;
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
    });
    if (intent === 'limited') {
      log.debug({ maxInFlight: config.max_in_flight }, 'provider at max_in_flight; step waits');
      return await park(job, token, 1000);
    }
    if (!intent) return undefined; // another run got here first
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
    const task = await submitOnce(deps, ctx, req, slotAt, log).catch(async (err: unknown) => {
      // Provably nothing made upstream: give the intent back, so a retry is a fresh submission.
      if (createdNothing(err)) await persistently(() => releaseIntent(deps.database.db, generationId, index), { attempts: 5 });
      throw err;
    });
    const deadline = new Date(clock(deps) + config.deadline_s * 1000);
    const recorded = await persistently(
      () => recordSubmission(deps.database.db, generationId, index, config.name, task, deadline, input.op === 'upload'),
      { onRetry: (err, attempt) => log.warn({ attempt, err: (err as Error).message, taskId: task.taskId }, 'could not record the upstream task yet; retrying') },
    );
    await deps.notifier.publish(generationId);
    log.info({ taskId: task.taskId, clips: task.clips.length, state: task.state }, 'step submitted');
    return recorded ? { state: task.state, deadline } : undefined;
  } catch (err) {
    if (err instanceof DelayedError) throw err;
    if (isSlowDown(err)) {
      log.info({ code: err.code, message: err.message, retryAfterMs: err.retryAfterMs }, 'provider asked us to slow down; step waits');
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
async function submitOnce(deps: EngineDeps, ctx: StepContext, req: SubmitRequest, slotAt: number, log: EngineDeps['logger']): Promise<TaskSnapshot> {
  const { config, adapter } = providerOf(deps, ctx.step.provider);
  try {
    return await deps.guard.withSlot(config, 'submit', slotAt, () => adapter.submit(req));
  } catch (err) {
    if (!isOutcomeUnknown(err)) throw err;
    log.warn({ err: err.message, taskId: err.taskId }, 'submission sent, outcome unknown; not sending it again');
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

async function onSubmitError(deps: EngineDeps, job: Job, ctx: StepContext, err: unknown, log: EngineDeps['logger']): Promise<never> {
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
