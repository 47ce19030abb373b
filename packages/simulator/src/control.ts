import express, { Router } from 'express';
import type { SimContext } from './context';
import { param } from './http';

/**
 * /_sim: the test harness's handle on the simulator. Not authenticated (it is meant
 * for loopback use in development and tests), never counted, never faulted.
 */
export function controlRouter(ctx: SimContext): Router {
  const r = Router();
  r.use(express.json({ limit: '100kb' }));

  r.get('/health', (_req, res) => {
    res.json({ ok: true });
  });

  r.get('/stats', (_req, res) => {
    res.json(ctx.stats.snapshot(ctx.store.size));
  });

  /** Requests per calendar second of each dialect (epoch seconds as keys). */
  r.get('/seconds', (_req, res) => {
    res.json(ctx.stats.rate.seconds());
  });

  r.get('/config', (_req, res) => {
    res.json(ctx.config);
  });

  r.post('/config', (req, res) => {
    try {
      res.json(ctx.configure((req.body ?? {}) as object));
    } catch (err) {
      res.status(400).json({ error: (err as Error).message });
    }
  });

  r.post('/reset', (_req, res) => {
    ctx.reset();
    res.json({ ok: true });
  });

  r.get('/tasks', (_req, res) => {
    res.json(ctx.store.list().map((t) => ctx.store.summary(t)));
  });

  /** By task id, or by any clip id of the task. */
  r.get('/tasks/:id', (req, res) => {
    const task = ctx.store.resolve(param(req, 'id'));
    if (!task) {
      res.status(404).json({ error: `Unknown task or clip id: ${param(req, 'id')}` });
      return;
    }
    res.json(ctx.store.summary(task));
  });

  r.use(((err, _req, res, _next) => {
    const e = err as { status?: number; message?: string };
    res.status(e.status && e.status < 500 ? e.status : 500).json({ error: e.message ?? 'error' });
  }) as express.ErrorRequestHandler);
  return r;
}
