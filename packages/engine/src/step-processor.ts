import type { Job } from 'bullmq';
import { JOBS } from '@refrain/contracts';
import { RefrainError, decideStep } from '@refrain/core';
import { cancelPendingStep, failStep, loadStepContext, loadStepContextSettling, stepUpstreamState, succeedStep, type StepContext } from '@refrain/db';
import { DelayedError, UnrecoverableError } from '@refrain/queue';
import { observeStepDuration } from '@refrain/observability';
import { clock, recheckMs, stepConfig, type EngineDeps } from './deps';
import type { StepOutput } from './step-source';
import { LAST_LOOK_GRACE_MS, lastLook } from './last-look';
import { submitStep, wantsWebhooks } from './step-submit';
import { emitWebhookSafely } from './webhooks';

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
    let looked = false; // at most one last look per run (last-look.ts)
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
      const config = stepConfig(deps, ctx.step);
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
          const recorded = await submitStep(deps, job, token, ctx, log);
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
          if (decision.code === 'upstream_timeout' && !looked) {
            looked = true;
            const look = await lastLook(deps, ctx, log);
            if (look === 'finished') continue;
            // The provider cannot answer now: a little longer, within a bound, rather than lose a song it may have made.
            const graceEnd = (ctx.step.deadlineAt?.getTime() ?? now) + LAST_LOOK_GRACE_MS;
            if (look === 'unanswered' && now < graceEnd) await waitFor(deps, job, token, generationId, index, Math.min(now + 5000, graceEnd));
          }
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
