import { randomBytes } from 'node:crypto';
import type { Job } from 'bullmq';
import { JOBS, type StepInput } from '@refrain/contracts';
import { RefrainError, decideStep, isRefrainError } from '@refrain/core';
import {
  cancelPendingStep,
  failStep,
  loadStepContext,
  markSubmitting,
  recordSubmission,
  sha256,
  succeedStep,
  type StepContext,
} from '@refrain/db';
import { DelayedError, UnrecoverableError } from '@refrain/queue';
import { observeStepDuration } from '@refrain/observability';
import { clock, providerOf, recheckMs, type EngineDeps } from './deps';
import { previousLyrics, resolveSource, type StepOutput } from './step-source';
import { emitWebhookSafely } from './webhooks';
import { isSlowDown } from './limits';

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
    for (let round = 0; round < 3; round++) {
      const ctx = await loadStepContext(deps.database.db, generationId, index);
      if (!ctx) {
        log.warn('step job without a step row; dropping it');
        return null;
      }
      const { config } = providerOf(deps, ctx.step.provider);
      const now = clock(deps);
      const decision = decideStep(
        {
          status: ctx.step.status as never,
          generationStatus: ctx.generation.status as never,
          upstreamState: ctx.step.upstreamState as never,
          upstreamError: ctx.step.upstreamError,
          deadlineAt: ctx.step.deadlineAt?.getTime() ?? null,
        },
        now,
        recheckMs(config),
      );
      switch (decision.kind) {
        case 'skip':
          if (ctx.step.status === 'pending' || ctx.step.status === 'submitting') {
            await cancelPendingStep(deps.database.db, generationId, index);
            await deps.notifier.publish(generationId);
          }
          log.debug({ reason: decision.reason }, 'step skipped');
          return outputOf(ctx);
        case 'submit':
          await submit(deps, job, token, ctx, log);
          continue; // look again: an answer may already be final
        case 'succeed': {
          const output = outputOf(ctx);
          const status = await succeedStep(deps.database.db, generationId, index, { clips: output.clips, lyrics: output.lyrics });
          await deps.notifier.publish(generationId);
          log.info({ clips: output.clips.length }, 'step succeeded');
          observeStepDuration(ctx.step.op, ctx.step.provider, 'succeeded', ctx.step.startedAt, clock(deps));
          await emitWebhookSafely(deps, generationId, 'step.succeeded', index);
          if (status === 'succeeded') await emitWebhookSafely(deps, generationId, 'generation.succeeded');
          return output;
        }
        case 'fail':
          await failStep(deps.database.db, generationId, index, { code: decision.code, message: decision.message, step: index });
          await deps.notifier.publish(generationId);
          log.warn({ code: decision.code, message: decision.message }, 'step failed');
          observeStepDuration(ctx.step.op, ctx.step.provider, 'failed', ctx.step.startedAt, clock(deps));
          await emitWebhookSafely(deps, generationId, 'generation.failed');
          throw new UnrecoverableError(decision.message);
        case 'wait':
          await job.moveToDelayed(decision.untilMs, token);
          // Closes the race with the poller: if upstream finished while we were deciding,
          // its promote may have missed us, so look once more and wake ourselves.
          if (await finishedMeanwhile(deps, generationId, index)) await job.promote().catch(() => {});
          throw new DelayedError();
      }
    }
    throw new RefrainError({ code: 'internal', retry: true, message: 'step did not settle; will retry' });
  };
}

async function finishedMeanwhile(deps: EngineDeps, generationId: string, index: number): Promise<boolean> {
  const ctx = await loadStepContext(deps.database.db, generationId, index);
  return !!ctx && ctx.step.upstreamState !== null && ctx.step.upstreamState !== 'running';
}

/** Sleep as a delayed job without spending an attempt (limits, breaker, 429). */
async function park(job: Job, token: string | undefined, ms: number): Promise<never> {
  await job.moveToDelayed(Date.now() + ms + Math.floor(Math.random() * 250), token);
  throw new DelayedError();
}

async function submit(deps: EngineDeps, job: Job, token: string | undefined, ctx: StepContext, log: EngineDeps['logger']): Promise<void> {
  const generationId = ctx.generation.id;
  const index = ctx.step.index;
  const { config, adapter } = providerOf(deps, ctx.step.provider);
  const input = ctx.step.input as StepInput;
  try {
    const children = Object.values((await job.getChildrenValues()) ?? {}) as StepOutput[];
    const source = resolveSource(input, ctx, children[0]);
    const lyrics = previousLyrics(ctx, children[0]);
    const useCallbacks = config.callbacks && adapter.supportsCallbacks;
    const hookToken = useCallbacks ? randomBytes(24).toString('base64url') : null;
    await deps.guard.permit(config);
    const intent = await markSubmitting(deps.database.db, generationId, index, hookToken ? sha256(hookToken) : null, {
      provider: config.name,
      maxInFlight: config.max_in_flight,
    });
    if (intent === 'limited') {
      log.debug({ maxInFlight: config.max_in_flight }, 'provider at max_in_flight; step waits');
      return await park(job, token, 1000);
    }
    if (!intent) return; // another run got here first
    if (intent.submitAttempts > 1) log.warn({ attempt: intent.submitAttempts }, 'submitting again after an interrupted attempt');
    await deps.notifier.publish(generationId);
    const model = ('mv' in input && input.mv) || config.default_model || adapter.models[0]!;
    const task = await deps.guard.recorded(config, () =>
      adapter.submit({
        op: input.op,
        input: input as unknown as Record<string, unknown>,
        model,
        ...(source ? { source } : {}),
        ...(lyrics ? { lyrics } : {}),
        ...(hookToken ? { notifyHook: `${deps.publicHooksUrl.replace(/\/$/, '')}/hooks/${config.name}/${hookToken}` } : {}),
      }),
    );
    const deadline = new Date(clock(deps) + config.deadline_s * 1000);
    await recordSubmission(deps.database.db, generationId, index, config.name, task, deadline, input.op === 'upload');
    await deps.notifier.publish(generationId);
    log.info({ taskId: task.taskId, clips: task.clips.length, state: task.state }, 'step submitted');
  } catch (err) {
    if (err instanceof DelayedError) throw err;
    if (isSlowDown(err)) {
      log.info({ code: err.code, message: err.message, retryAfterMs: err.retryAfterMs }, 'provider asked us to slow down; step waits');
      return await park(job, token, err.retryAfterMs ?? 5000);
    }
    await onSubmitError(deps, job, generationId, index, err, log);
  }
}

async function onSubmitError(
  deps: EngineDeps,
  job: Job,
  generationId: string,
  index: number,
  err: unknown,
  log: EngineDeps['logger'],
): Promise<never> {
  const e = isRefrainError(err) ? err : new RefrainError({ code: 'internal', retry: true, message: String(err), cause: err });
  const lastAttempt = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
  if (!e.retry || lastAttempt) {
    await failStep(deps.database.db, generationId, index, { code: e.code, message: e.message, step: index });
    await deps.notifier.publish(generationId);
    await emitWebhookSafely(deps, generationId, 'generation.failed');
    log.warn({ code: e.code, message: e.message, attempts: job.attemptsMade + 1 }, 'submission failed for good');
    throw new UnrecoverableError(e.message);
  }
  log.warn({ code: e.code, message: e.message, retryAfterMs: e.retryAfterMs }, 'submission failed; will retry');
  throw e;
}
