import { fileURLToPath } from 'node:url';
import express, { Router } from 'express';

const WEB_DIR = fileURLToPath(new URL('../web/', import.meta.url));

/**
 * The listening page: GET / and its assets under /web/. Plain static files; the page
 * talks to /v1 with the API key the visitor types in, so the files themselves are public.
 */
export function webRoute(): Router {
  const router = Router();
  router.get('/', (_req, res) => {
    res.setHeader('cache-control', 'no-cache');
    res.sendFile('index.html', { root: WEB_DIR });
  });
  router.use('/web', express.static(WEB_DIR, { index: false, fallthrough: true, maxAge: '5m' }));
  return router;
}
