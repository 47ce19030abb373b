import { nativeBatch } from '@refrain/wire';
import type { RequestHandler } from 'express';
import type { ApiDeps } from '../../deps';
import { tenantOf } from '../../http/auth';
import { parseDoorBody } from '../core/parse';
import { submitThroughDoor } from '../core/submit';
import type { DoorTask } from '../core/task-view';
import { route, type DoorRoute } from '../core/types';
import { nativeGenerateBody, nativeStep } from './generate-step';

/** The answer seed 002 shows: `{id, clips, metadata, major_model_version, status, created_at, batch_size}`. */
export const batchOf = (t: DoorTask) =>
  nativeBatch({ id: t.record.taskId ?? t.record.id, createdAt: t.record.generation.createdAt.toISOString(), clips: t.clips, model: t.clips[0]?.model ?? 'chirp-v4' });

const handle = (deps: ApiDeps): RequestHandler =>
  route(async (req, res) => {
    const b = parseDoorBody(nativeGenerateBody, req.body);
    const planned = await nativeStep(deps, tenantOf(res), b);
    const task = await submitThroughDoor(deps, req, res, { door: 'native', ...planned, request: req.body, task: true });
    res.json(batchOf(task));
  });

const common = {
  method: 'POST' as const,
  op: 'generate | extend | cover | replace_section | persona | stems',
  body: nativeGenerateBody,
  answer: '`{id, clips: [2 clips], metadata, major_model_version, status, created_at, batch_size}`; the clip ids are usable at once: feed them.',
  handle,
};

export const generateV1: DoorRoute = { ...common, path: '/v1/suno/generate', summary: 'Make songs (seed 002, tu-zi): description or custom mode, continue_clip_id, infill, task variants' };
export const generateV2: DoorRoute = { ...common, path: '/suno/v2/generate', summary: 'The same generate body under seed 000\'s path' };
