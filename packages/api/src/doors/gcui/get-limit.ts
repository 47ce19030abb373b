import { problem } from '../../http/problem';
import { route, type DoorRoute } from '../core/types';

export const getLimit: DoorRoute = {
  method: 'GET',
  path: '/api/get_limit',
  summary: 'What is left on the default provider (where its dialect can tell)',
  answer: '`{credits_left, period, monthly_limit, monthly_usage}`: `credits_left` is the provider\'s songs left; the others are null (providers do not say). Refused (422) when the default provider cannot tell.',
  handle: (deps) =>
    route(async (_req, res) => {
      const p = deps.providers.get(deps.defaultProvider);
      if (!p?.adapter.credits) throw problem(422, `provider "${deps.defaultProvider}" (${p?.config.dialect ?? 'unknown'}) cannot tell its credits`);
      const credits = await p.adapter.credits();
      res.json({ credits_left: credits.songs_left, period: null, monthly_limit: null, monthly_usage: null });
    }),
};
