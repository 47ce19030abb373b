import { nativeClip, nativeFeedPage } from '@refrain/wire';
import type { Request, Response } from 'express';
import type { ApiDeps } from '../../deps';
import { tenantOf } from '../../http/auth';
import { problem } from '../../http/problem';
import { loadDoorTasks } from '../core/load';
import { idList, MAX_IDS } from '../core/parse';
import { clipOf } from '../core/task-view';
import { route, type DoorRoute } from '../core/types';

/** Suno clip objects for clip ids of this key; others are left out, as Suno's feed does. */
async function clipsFor(deps: ApiDeps, req: Request, res: Response, raw: unknown): Promise<unknown[]> {
  const ids = idList(raw);
  if (ids.length === 0) throw problem(400, 'ids is required (comma-separated clip ids)');
  if (ids.length > MAX_IDS) throw problem(400, `at most ${MAX_IDS} ids per request`);
  const found = await loadDoorTasks(deps, tenantOf(res), ids);
  return found.flatMap(({ id, task }) => {
    const clip = clipOf(task, id);
    return clip ? [nativeClip(clip)] : [];
  });
}

export const feedQuery: DoorRoute = {
  method: 'GET',
  path: '/v1/suno/feed',
  summary: 'Clips by id (`?ids=a,b`, tu-zi)',
  answer: '`{clips: […], num_total_results, current_page}`.',
  handle: (deps) => route(async (req, res) => void res.json(nativeFeedPage(await clipsFor(deps, req, res, req.query.ids)))),
};

const bare = (path: string, summary: string): DoorRoute => ({
  method: 'GET',
  path,
  summary,
  answer: 'A bare array of Suno clips.',
  handle: (deps) => route(async (req, res) => void res.json(await clipsFor(deps, req, res, req.params.ids))),
});

export const feedPathV1 = bare('/v1/suno/feed/{ids}', 'Clips by id in the path (`/v1/suno/feed/a,b`)');
export const feedPath = bare('/suno/feed/{ids}', 'Clips by id in the path, as sibling proxies serve it (`/suno/feed/a,b`)');
