import { okEnvelope } from '@refrain/wire';
import { defaultSongsLeft } from '../core/songs-left';
import { route, type DoorRoute } from '../core/types';

export const limit: DoorRoute = {
  method: 'GET',
  path: '/gateway/limit',
  summary: 'Songs left on the default provider (where its dialect can tell; a pool: the sum over its members)',
  answer: '`{code: 0, msg: "success", data: {songs_left, points}}`; refused (422) when the default provider cannot tell its credits.',
  handle: (deps) =>
    route(async (_req, res) => {
      res.json(okEnvelope('gateway', { songs_left: (await defaultSongsLeft(deps)) ?? 0, points: 0 }));
    }),
};
