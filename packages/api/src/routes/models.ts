import { Router } from 'express';
import type { OpenAiModel } from '@refrain/contracts';
import { chatModels } from '@refrain/core';
import type { ApiDeps } from '../deps';
import { OpenAiError } from '../chat/errors';
import { chatProvider } from '../chat/provider';

/** A fixed date (2024-01-01): the aliases have no meaningful creation time, and a stable value keeps lists cacheable. */
const CREATED = 1_704_067_200;

/** GET /v1/models and /v1/models/{id} — the chat model names of the chosen provider, OpenAI format. */
export function modelsRoute(deps: ApiDeps): Router {
  const router = Router();
  const list = (provider: string, models: readonly string[]): OpenAiModel[] =>
    chatModels(models).map((m) => ({ id: m.id, object: 'model', created: CREATED, owned_by: `refrain:${provider}`, mv: m.mv }));
  router.get('/v1/models', (req, res) => {
    const { name, models } = chatProvider(deps, req);
    res.json({ object: 'list', data: list(name, models) });
  });
  router.get('/v1/models/:id', (req, res) => {
    const { name, models } = chatProvider(deps, req);
    const model = list(name, models).find((m) => m.id === req.params.id);
    if (!model) throw new OpenAiError(404, `The model "${String(req.params.id)}" does not exist on provider "${name}".`, 'invalid_request_error', 'model_not_found', 'model');
    res.json(model);
  });
  return router;
}
