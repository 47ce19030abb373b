import type { Request, Response } from 'express';
import type { ApiDeps } from '../../deps';
import { tenantOf } from '../../http/auth';
import { holdAnswer, takeConnectionSlot } from '../core/hold';
import { loadDoorTask } from '../core/load';
import { submitThroughDoor, type DoorSubmission } from '../core/submit';
import { audioInfo } from './audio-info';

/**
 * `wait_audio: true` holds the answer until the audio is final (complete or error), at
 * most this long — gcui-art documents "up to 100 s" (it returns once the audio merely
 * streams; Refrain waits for the finished files).
 */
export const WAIT_AUDIO_S = 100;

/** Submit one step and answer its clips as `AudioInfo[]`, after `wait_audio` when asked. */
export async function answerSongs(deps: ApiDeps, req: Request, res: Response, s: Omit<DoorSubmission, 'door' | 'task' | 'request'>, waitAudio: boolean | null | undefined) {
  const started = Date.now();
  if (waitAudio) await takeConnectionSlot(res);
  let task = await submitThroughDoor(deps, req, res, { ...s, door: 'gcui', request: req.body, task: false });
  if (waitAudio) {
    const { aborted } = await holdAnswer(deps, req, res, task.record.generation.id, WAIT_AUDIO_S - (Date.now() - started) / 1000);
    if (aborted) return;
    task = (await loadDoorTask(deps, tenantOf(res), task.record.id)) ?? task;
  }
  res.json(task.clips.map(audioInfo));
}
