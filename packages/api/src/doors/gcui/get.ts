import { z } from 'zod';
import { listDoorClipIds } from '@refrain/db';
import { nativeClip } from '@refrain/wire';
import { tenantOf } from '../../http/auth';
import { problem } from '../../http/problem';
import { loadDoorTask, loadDoorTasks } from '../core/load';
import { idList, MAX_IDS } from '../core/parse';
import { clipOf } from '../core/task-view';
import { route, type DoorRoute } from '../core/types';
import { audioInfo } from './audio-info';

/** Clips per page of `GET /api/get` without ids (Suno's feed pages hold 20). */
export const PAGE_SIZE = 20;
const pageQuery = z.coerce.number().int().min(0).max(10_000).default(0);

export const get: DoorRoute = {
  method: 'GET',
  path: '/api/get',
  summary: 'Clips by id (`?ids=a,b`), or this key\'s gcui clips newest first (`?page=0`, 20 a page)',
  answer: '`[AudioInfo, …]`; ids that are not this key\'s clips are left out.',
  handle: (deps) =>
    route(async (req, res) => {
      const tenantId = tenantOf(res);
      let ids = idList(req.query.ids);
      if (ids.length > MAX_IDS) throw problem(400, `at most ${MAX_IDS} ids per request`);
      if (ids.length === 0) {
        const page = pageQuery.safeParse(req.query.page ?? undefined);
        if (!page.success) throw problem(400, 'page: a page number from 0');
        ids = await listDoorClipIds(deps.database.db, tenantId, 'gcui', { limit: PAGE_SIZE, offset: page.data * PAGE_SIZE });
      }
      const found = await loadDoorTasks(deps, tenantId, ids);
      res.json(found.flatMap(({ id, task }) => {
        const clip = clipOf(task, id);
        return clip ? [audioInfo(clip)] : [];
      }));
    }),
};

export const clip: DoorRoute = {
  method: 'GET',
  path: '/api/clip',
  summary: 'One clip as Suno\'s own clip object (`?id=`)',
  answer: 'The Suno clip object (as gcui-art passes Suno\'s `/api/clip/{id}` on).',
  handle: (deps) =>
    route(async (req, res) => {
      const id = typeof req.query.id === 'string' ? req.query.id : '';
      if (!id) throw problem(400, 'Missing parameter id');
      const task = await loadDoorTask(deps, tenantOf(res), id);
      const found = task ? clipOf(task, id) : undefined;
      if (!found) throw problem(404, `Clip not found: ${id}`);
      res.json(nativeClip(found));
    }),
};
