import { timingSafeEqual } from 'node:crypto';
import express, { Router, type NextFunction, type Request, type Response } from 'express';
import { sha256, stepByCallbackToken, type RefusedClip } from '@refrain/db';
import { adoptCallbackTask, applyUpstreamNews, awaitSubmissionRecord, type EngineDeps } from '@refrain/engine';
import { countCallback } from '@refrain/observability';

export interface HooksOptions {
  /** Largest callback body accepted (413 above). */
  bodyLimit?: string;
}

const send = (res: Response, status: number, message: string) => res.status(status).json({ status, message });

/**
 * notify_hook callbacks from providers: POST /hooks/<provider>/<token>. The token is
 * looked up by its hash and compared in constant time; the body is validated with the
 * dialect's schema and applied exactly like a poll answer (compare-and-set). A token
 * reaches its own step's task and clips only (docs/api.md, "What a hook token may change").
 */
export function createHooksRouter(deps: EngineDeps, opts: HooksOptions = {}): Router {
  const router = Router();
  router.use('/hooks/:provider', (req, res, next) => { countCallback(deps.providers.has(String(req.params.provider)) ? String(req.params.provider) : 'unknown', res); next(); }); // refrain_callbacks_*
  router.post(
    '/hooks/:provider/:token',
    express.json({ limit: opts.bodyLimit ?? '256kb', type: () => true }),
    async (req: Request, res: Response) => {
      const providerName = String(req.params.provider);
      const token = String(req.params.token);
      const provider = deps.providers.get(providerName);
      const hash = sha256(token);
      const found = provider && token.length <= 200 ? await stepByCallbackToken(deps.database.db, providerName, hash) : null;
      if (!provider || !found || !provider.adapter.parseCallback) return send(res, 404, 'unknown hook');
      // The lookup is by hash; the final comparison is constant-time all the same.
      if (!found.tokenHash || !timingSafeEqual(Buffer.from(hash), Buffer.from(found.tokenHash))) return send(res, 404, 'unknown hook');
      // A callback that beat the worker's record of the submission waits for it (briefly).
      let step = await awaitSubmissionRecord(deps, providerName, hash, found);
      let updates;
      try {
        updates = provider.adapter.parseCallback(req.body);
      } catch (err) {
        deps.logger.warn({ provider: providerName, generationId: step.generationId, err: (err as Error).message }, 'callback body rejected');
        return send(res, 400, `callback body does not match the ${provider.config.dialect} dialect: ${(err as Error).message}`);
      }
      // Still `submitting`: the worker that sent it died before recording the answer. The task
      // this callback reports (one per token) is the step's: adopt it rather than lose the song.
      const [only] = updates;
      if (step.taskId === null && step.status === 'submitting' && updates.length === 1 && only) {
        step = await adoptCallbackTask(deps, providerName, hash, step, only.taskId);
      }
      // Only the task this token was issued for may be touched through it, and only its clips:
      // those recorded for the step, or (before any are) clips no other step owns (the database checks).
      const own = new Set(step.clipIds);
      const refused: RefusedClip[] = [];
      const mine = updates
        .filter((u) => u.taskId === step.taskId || u.clips.some((c) => c.id === step.taskId))
        .map((u) => {
          if (own.size === 0) return { ...u, taskId: step.taskId ?? u.taskId };
          for (const c of u.clips) if (!own.has(c.id)) refused.push({ id: c.id, generationId: step.generationId, index: step.index });
          return { ...u, taskId: step.taskId ?? u.taskId, clips: u.clips.filter((c) => own.has(c.id)) };
        });
      for (const r of refused) deps.logger.warn({ provider: providerName, clipId: r.id, generationId: r.generationId, step: r.index }, 'callback names a clip of another step: refused');
      const changes = await applyUpstreamNews(deps, providerName, mine, refused);
      deps.logger.info({ provider: providerName, generationId: step.generationId, step: step.index, changes: changes.length, refused: refused.length }, 'callback applied');
      // What belongs to the task is applied; naming anything else is refused, visibly.
      if (refused.length > 0) return send(res, 403, `refused ${refused.length} clip(s) that are not this task's`);
      send(res, 200, changes.length ? 'applied' : 'no change');
    },
  );
  router.use('/hooks', (err: { type?: string; status?: number }, _req: Request, res: Response, next: NextFunction) => {
    if (err.type === 'entity.too.large') return send(res, 413, 'callback body too large');
    if (err.type === 'entity.parse.failed') return send(res, 400, 'callback body is not JSON');
    next(err);
  });
  return router;
}
