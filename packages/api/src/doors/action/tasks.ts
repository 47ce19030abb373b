import { actionTasksBody } from '@refrain/wire';
import { tenantOf } from '../../http/auth';
import { problem } from '../../http/problem';
import { loadDoorTask, loadDoorTasks } from '../core/load';
import { parseDoorBody } from '../core/parse';
import { route, type DoorRoute } from '../core/types';
import { recordOf, traceIdOf } from './answer';

/** AceData's client asks about at most 50 tasks at once; twice that is allowed. */
export const tasksBody = actionTasksBody(100);

export const tasks: DoorRoute = {
  method: 'POST',
  path: '/suno/tasks',
  summary: 'Task records: `{id, action: "retrieve"}` or `{ids, action: "retrieve_batch"}` (AceData)',
  body: tasksBody,
  answer: 'One record `{id, created_at, request, trace_id, response: {success, task_id, data}}`, or `{items: [records], count}`.',
  handle: (deps) =>
    route(async (req, res) => {
      const b = parseDoorBody(tasksBody, req.body);
      const traceId = traceIdOf(res);
      if (b.action === 'retrieve') {
        const task = await loadDoorTask(deps, tenantOf(res), b.id);
        if (!task || task.record.kind !== 'task') throw problem(404, `The task ${b.id} does not exist`);
        return void res.json(recordOf(task, traceId));
      }
      const found = (await loadDoorTasks(deps, tenantOf(res), b.ids)).filter((f) => f.task.record.kind === 'task');
      res.json({ items: found.map((f) => recordOf(f.task, traceId)), count: found.length });
    }),
};
