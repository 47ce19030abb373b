import { gatewaySong, okEnvelope } from '@refrain/wire';
import type { Response } from 'express';
import type { DoorTask } from '../core/task-view';

/** Every song of a task, as seed 001's `data: [songs]`. */
export const songsOf = (t: DoorTask) => t.clips.map(gatewaySong);

export const sendSongs = (res: Response, t: DoorTask): void => {
  res.json(okEnvelope('gateway', songsOf(t)));
};
