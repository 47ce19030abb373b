import { Router, type Request, type Response } from 'express';
import { clipWav, coverSvg } from './audio';
import type { SimContext } from './context';
import { param } from './http';

/**
 * Media the clip URLs point at. Any well-formed id is served (the bytes are derived
 * from the id), so URLs stay playable across simulator restarts. Not counted, never
 * faulted: the fault rates model the API, not the CDN.
 */

const ID = /^([A-Za-z0-9_-]{1,80})\.(wav|svg|mp4)$/;

function idOf(req: Request, ext: string): string | null {
  const m = ID.exec(param(req, 'file'));
  return m && m[2] === ext ? (m[1] ?? null) : null;
}

/** Serves a buffer with single-range support, so browsers can seek in the demo. */
function sendBytes(req: Request, res: Response, buf: Buffer, type: string): void {
  res.setHeader('Content-Type', type);
  res.setHeader('Accept-Ranges', 'bytes');
  res.setHeader('Cache-Control', 'public, max-age=86400');
  const range = /^bytes=(\d*)-(\d*)$/.exec(req.get('range') ?? '');
  if (range && (range[1] || range[2])) {
    const size = buf.length;
    let start = range[1] ? Number(range[1]) : size - Number(range[2]);
    let end = range[1] && range[2] ? Number(range[2]) : size - 1;
    start = Math.max(0, start);
    end = Math.min(end, size - 1);
    if (start > end || start >= size) {
      res.status(416).setHeader('Content-Range', `bytes */${size}`);
      res.end();
      return;
    }
    res.status(206);
    res.setHeader('Content-Range', `bytes ${start}-${end}/${size}`);
    res.setHeader('Content-Length', String(end - start + 1));
    res.end(req.method === 'HEAD' ? undefined : buf.subarray(start, end + 1));
    return;
  }
  res.setHeader('Content-Length', String(buf.length));
  res.end(req.method === 'HEAD' ? undefined : buf);
}

export function mediaRouter(ctx: SimContext): Router {
  const r = Router();
  const wav = (req: Request, res: Response): void => {
    const id = idOf(req, 'wav');
    if (!id) {
      res.status(404).json({ detail: 'Not found' });
      return;
    }
    sendBytes(req, res, clipWav(id), 'audio/wav');
  };
  r.get('/audio/:file', wav);
  r.get('/stream/:file', wav);

  r.get('/image/:file', (req, res) => {
    const id = idOf(req, 'svg');
    if (!id) {
      res.status(404).json({ detail: 'Not found' });
      return;
    }
    const title = ctx.store.clip(id)?.clip.title ?? 'Refrain';
    sendBytes(req, res, Buffer.from(coverSvg(id, title)), 'image/svg+xml');
  });

  // Generating a real MP4 in code is not worth it: video URLs are honest 404s.
  r.get('/video/:file', (_req, res) => {
    res.status(404).json({ detail: 'The simulator does not render videos' });
  });
  return r;
}
