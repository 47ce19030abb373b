import { defaultSongsLeft } from '../core/songs-left';
import { route, type DoorRoute } from '../core/types';

export const getLimit: DoorRoute = {
  method: 'GET',
  path: '/api/get_limit',
  summary: 'What is left on the default provider (where its dialect can tell; a pool: the sum over its members)',
  answer: '`{credits_left, period, monthly_limit, monthly_usage}`: `credits_left` is the provider\'s songs left; the others are null (providers do not say). Refused (422) when the default provider cannot tell.',
  handle: (deps) =>
    route(async (_req, res) => {
      res.json({ credits_left: await defaultSongsLeft(deps), period: null, monthly_limit: null, monthly_usage: null });
    }),
};
