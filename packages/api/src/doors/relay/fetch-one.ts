import { okEnvelope } from '@refrain/wire';
import { tenantOf } from '../../http/auth';
import { problem } from '../../http/problem';
import { loadDoorTask } from '../core/load';
import { route, type DoorRoute } from '../core/types';
import { relayTaskOf } from './task';

export const fetchOne: DoorRoute = {
  method: 'GET',
  path: '/suno/fetch/{task_id}',
  summary: 'One task',
  answer: '`{code: "success", message, data: <task>}`: `task_id, action, status, fail_reason, submit_time, start_time, finish_time, progress, data`.',
  handle: (deps) =>
    route(async (req, res) => {
      const id = String(req.params.task_id);
      const task = await loadDoorTask(deps, tenantOf(res), id);
      if (!task || task.record.kind !== 'task') throw problem(404, `task not found: ${id}`);
      res.json(okEnvelope('relay', relayTaskOf(task)));
    }),
};
