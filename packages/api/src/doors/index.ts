import { Router, type NextFunction, type Request, type Response } from 'express';
import type { ApiDeps } from '../deps';
import { toProblem } from '../http/to-problem';
import { messageOf, setProblemHeaders } from './core/errors';
import { HOLD_CONNECTION, type HoldConnection } from './core/hold';
import { expressPath } from './core/types';
import { DOORS, doorOfPath } from './registry';

export { createDoorCallbackBody } from './callbacks';
export { DOORS, doorOfPath } from './registry';

/**
 * Where the front doors live outside /v1 (the native door's `/v1/suno/*` is under /v1). The
 * app mounts its key check, rate limit and input guards on these as on /v1, in one place.
 */
export const DOOR_PREFIXES = ['/suno', '/gateway', '/api'];

/** The gateway's clients send the key as `api-key: <key>` (seed 001): read it as the Bearer key. */
export function doorKeyHeader(): Router {
  const router = Router();
  router.use('/gateway', (req, _res, next) => {
    const key = req.get('api-key');
    if (!req.headers.authorization && key) req.headers.authorization = `Bearer ${key.trim()}`;
    next();
  });
  return router;
}

export interface DoorRouteOptions {
  /**
   * Takes a long-lived-connection slot for a response that holds its answer (gateway
   * chatgpt, action's blocking answer and upload, gcui wait_audio and lyrics): the app's
   * per-key connection caps. Unset: those holds are not counted.
   */
  holdConnection?: HoldConnection;
}

/** Every door's routes (docs/doors.md). Mounted after the key check and the /v1 guards. */
export function doorRoutes(deps: ApiDeps, opts: DoorRouteOptions = {}): Router {
  const router = Router();
  if (opts.holdConnection) {
    const hold = opts.holdConnection;
    router.use((_req, res, next) => {
      res.locals[HOLD_CONNECTION] = hold;
      next();
    });
  }
  for (const door of DOORS) {
    for (const r of door.routes) {
      const path = expressPath(r.path);
      if (r.method === 'GET') router.get(path, r.handle(deps));
      else router.post(path, r.handle(deps));
    }
  }
  return router;
}

/**
 * Every error on a door's path — a bad key and the rate limit included — in that door's
 * own envelope and HTTP status, so its clients read it as they read their upstream's.
 * Mounted after clientErrors (which names express's own 4xx) and before the problem+json handler.
 */
export function doorErrors(err: unknown, req: Request, res: Response, next: NextFunction): void {
  const door = doorOfPath(req.path);
  if (!door || res.headersSent) return next(err);
  const p = toProblem(err, req);
  setProblemHeaders(res, p);
  // The gateway's clients send `api-key`: say so, rather than the Bearer hint of /v1.
  const message = door.auth === 'api-key' ? messageOf(p).replace(/Send an API key as "Authorization: Bearer <key>"\./, 'Send an API key in the api-key header.') : messageOf(p);
  door.sendError(req, res, p.status, message);
}
