import { okEnvelope } from '@refrain/wire';
import { problem } from '../../http/problem';
import { route, type DoorRoute } from '../core/types';

export const limit: DoorRoute = {
  method: 'GET',
  path: '/gateway/limit',
  summary: 'Songs left on the default provider (where its dialect can tell)',
  answer: '`{code: 0, msg: "success", data: {songs_left, points}}`; refused (422) when the default provider cannot tell its credits.',
  handle: (deps) =>
    route(async (_req, res) => {
      const p = deps.providers.get(deps.defaultProvider);
      if (!p?.adapter.credits) throw problem(422, `provider "${deps.defaultProvider}" (${p?.config.dialect ?? 'unknown'}) cannot tell its credits`);
      const credits = await p.adapter.credits();
      res.json(okEnvelope('gateway', { songs_left: credits.songs_left ?? 0, points: 0 }));
    }),
};
