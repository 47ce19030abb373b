import { Router } from 'express';
import { isFinalGeneration, type GenerationStatus } from '@refrain/contracts';
import { eventsSince, loadGeneration } from '@refrain/db';
import { tenantOf } from '../http/auth';
import type { ConnectionCaps } from '../http/connection-caps';
import { problem } from '../http/problem';
import type { ApiDeps } from '../deps';

const HEARTBEAT_MS = 15_000;

/**
 * GET /v1/generations/{id}/events — server-sent events of status, step and clip changes,
 * replayed from Postgres after `Last-Event-ID`, then pushed as the shared change channel
 * announces them; closes after the final state.
 */
export function generationEventsRoute(deps: ApiDeps, caps: ConnectionCaps): Router {
  const router = Router();
  router.get('/v1/generations/:id/events', async (req, res) => {
    const id = String(req.params.id);
    const start = await loadGeneration(deps.database.db, id, tenantOf(res));
    if (!start) throw problem(404, `no generation "${id}"`);
    await caps.hold(res);
    const header = req.get('last-event-id') ?? (typeof req.query.last_event_id === 'string' ? req.query.last_event_id : undefined);
    let lastId = header && /^\d{1,18}$/.test(header) ? Number(header) : 0;

    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    res.write('retry: 2000\n\n');

    let closed = false;
    let pending = false;
    let running: Promise<void> | null = null;
    const finish = () => {
      if (closed) return;
      closed = true;
      clearInterval(heartbeat);
      unsubscribe();
      res.end();
    };
    // One drain at a time; a notification during a drain schedules one more.
    const drain = async (): Promise<void> => {
      if (running) {
        pending = true;
        return running;
      }
      running = (async () => {
        do {
          pending = false;
          const events = await eventsSince(deps.database.db, id, lastId);
          for (const e of events) {
            if (closed) return;
            res.write(`id: ${e.id}\nevent: ${e.type}\ndata: ${JSON.stringify(e.data)}\n\n`);
            lastId = e.id;
            if (e.type === 'generation' && isFinalGeneration(e.data.status as GenerationStatus)) return finish();
          }
        } while (pending && !closed);
      })().finally(() => {
        running = null;
      });
      return running;
    };
    const unsubscribe = deps.notifier.subscribe(id, () => void drain().catch(() => finish()));
    const heartbeat = setInterval(() => res.write(': keep-alive\n\n'), HEARTBEAT_MS);
    req.on('close', finish);
    await drain();
  });
  return router;
}
