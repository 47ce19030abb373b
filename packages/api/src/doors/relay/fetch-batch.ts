import { z } from 'zod';
import { okEnvelope, relayFetchFields } from '@refrain/wire';
import { tenantOf } from '../../http/auth';
import { loadDoorTasks } from '../core/load';
import { MAX_IDS, parseDoorBody } from '../core/parse';
import { route, type DoorRoute } from '../core/types';
import { relayTaskOf } from './task';

export const relayFetchBody = z.object({ ...relayFetchFields, ids: relayFetchFields.ids.max(MAX_IDS, `at most ${MAX_IDS} ids per request`) });

export const fetchBatch: DoorRoute = {
  method: 'POST',
  path: '/suno/fetch',
  summary: 'Many tasks in one request: `{ids, action?}`',
  body: relayFetchBody,
  answer: '`{code: "success", message, data: [<task>, …]}`; ids that are not this key\'s tasks are left out.',
  handle: (deps) =>
    route(async (req, res) => {
      const b = parseDoorBody(relayFetchBody, req.body);
      const found = await loadDoorTasks(deps, tenantOf(res), b.ids);
      const tasks = found
        .map((f) => f.task)
        .filter((t) => t.record.kind === 'task')
        .filter((t) => !b.action || (b.action === 'LYRICS') === (t.op === 'lyrics'));
      res.json(okEnvelope('relay', tasks.map(relayTaskOf)));
    }),
};
