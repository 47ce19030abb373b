import { z } from 'zod';
import type { Door } from '../core/types';
import { sendGcuiError } from './audio-info';
import { concat } from './concat';
import { customGenerate } from './custom-generate';
import { extendAudio } from './extend-audio';
import { generate } from './generate';
import { generateLyrics } from './generate-lyrics';
import { generateStems } from './generate-stems';
import { clip, get } from './get';
import { getLimit } from './get-limit';

/** gcui-art/suno-api's `/api/*` routes (its README and route code): Bearer, bare answers, errors `{error}`. */
export const gcuiDoor: Door = {
  name: 'gcui',
  source: 'gcui-art/suno-api (its /api/* routes and AudioInfo)',
  errorBody: z.object({ error: z.string() }),
  auth: 'bearer',
  routes: [generate, customGenerate, extendAudio, generateLyrics, generateStems, concat, get, clip, getLimit],
  owns: (path) => path === '/api' || path.startsWith('/api/'),
  sendError: (_req, res, status, message) => sendGcuiError(res, status, message),
};
