import express, { Router, type Response } from 'express';
import { STUDIO_BUILD_HINT, STUDIO_DIST, studioIndexHtml } from '@refrain/studio';
import { STUDIO_CSP } from '../web/csp';

const withCsp = (res: Response) => res.setHeader('Content-Security-Policy', STUDIO_CSP);

/**
 * The studio at GET / and its assets under /studio/ (packages/studio, built by
 * `pnpm install`). Public files: the page talks to /v1 with the key the visitor types in.
 * Asset names carry a content hash, so they are cached for good; the page itself is revalidated.
 */
export function webRoute(dir: string = STUDIO_DIST): Router {
  const router = Router();
  router.get('/', (_req, res) => {
    withCsp(res);
    const html = studioIndexHtml(dir);
    if (html === null) {
      res.status(503).type('text/plain').send(`${STUDIO_BUILD_HINT}\n`);
      return;
    }
    res.setHeader('Cache-Control', 'no-cache');
    res.type('html').send(html);
  });
  router.use(
    '/studio',
    (_req, res, next) => {
      withCsp(res);
      next();
    },
    express.static(`${dir}assets`, {
      index: false,
      fallthrough: true,
      setHeaders: (res, file) => {
        const hashed = /-[A-Z0-9]{8}\.(js|css)$/.test(file);
        res.setHeader('Cache-Control', hashed ? 'public, max-age=31536000, immutable' : 'public, max-age=3600');
      },
    }),
  );
  return router;
}
