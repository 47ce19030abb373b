import { z } from 'zod';
import { errorEnvelope } from '@refrain/wire';
import type { Door } from '../core/types';
import { concat } from './concat';
import { feedPath, feedPathV1, feedQuery } from './feed';
import { generateV1, generateV2 } from './generate';
import { lyricsCreate, lyricsGet } from './lyrics';
import { stems } from './stems';
import { upload } from './upload';

/** native (seeds 002 and 000; tu-zi): Suno's own web API shape, Bearer, bare objects, errors `{detail}`. */
export const nativeDoor: Door = {
  name: 'native',
  source: 'seeds 002 (tu-zi /v1/suno/*) and 000 (/suno/v2/generate), Suno\'s web API shape',
  errorBody: z.object({ detail: z.string() }),
  auth: 'bearer',
  // Before the feed paths: /generate/concat and /generate/lyrics are not /generate.
  routes: [generateV1, generateV2, concat, lyricsCreate, lyricsGet, upload, stems, feedQuery, feedPathV1, feedPath],
  owns: (path) => path.startsWith('/v1/suno/') || path.startsWith('/suno/v2/') || path.startsWith('/suno/feed'),
  sendError: (_req, res, status, message) => {
    res.status(status).json(errorEnvelope('native', status, message));
  },
};
