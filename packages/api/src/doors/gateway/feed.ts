import { gatewayQueryClip, gatewaySong, okEnvelope } from '@refrain/wire';
import { tenantOf } from '../../http/auth';
import { problem } from '../../http/problem';
import { loadDoorTask, loadDoorTasks } from '../core/load';
import { idList, MAX_IDS } from '../core/parse';
import { clipOf } from '../core/task-view';
import { route, type DoorRoute } from '../core/types';

export const feed: DoorRoute = {
  method: 'GET',
  path: '/gateway/feed/{song_id}',
  summary: 'One song (seed 001)',
  answer: '`{code: 0, msg: "success", data: <song>}`: `song_id, status, title, audio_url, video_url, image_url, model_name, meta_*`.',
  handle: (deps) =>
    route(async (req, res) => {
      const id = String(req.params.song_id);
      const task = await loadDoorTask(deps, tenantOf(res), id);
      const song = task ? clipOf(task, id) : undefined;
      if (!song) throw problem(404, `Song not found: ${id}`);
      res.json(okEnvelope('gateway', gatewaySong(song)));
    }),
};

export const query: DoorRoute = {
  method: 'GET',
  path: '/gateway/query',
  summary: 'Songs by id (`?ids=a,b`; sunoaiapi\'s API6, what Refrain\'s gateway adapter asks by default)',
  answer: 'A bare array of Suno clips with `meta_data`; ids that are not this key\'s songs are left out.',
  handle: (deps) =>
    route(async (req, res) => {
      const ids = idList(req.query.ids);
      if (ids.length === 0) throw problem(400, 'ids is required (comma-separated song ids)');
      if (ids.length > MAX_IDS) throw problem(400, `at most ${MAX_IDS} ids per request`);
      const found = await loadDoorTasks(deps, tenantOf(res), ids);
      res.json(found.flatMap(({ id, task }) => {
        const clip = clipOf(task, id);
        return clip ? [gatewayQueryClip(clip)] : [];
      }));
    }),
};
