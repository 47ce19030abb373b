import type { Request } from 'express';
import type { ApiDeps } from '../deps';
import { configuredNames, providerTarget, targetModels } from '../provider-target';
import { OpenAiError } from './errors';

/**
 * The provider a chat request runs on: the `x-refrain-provider` header, else
 * `metadata.provider` (or `?provider=` on GET), else the default provider. A pool's models are its members'.
 */
export function chatProvider(deps: ApiDeps, req: Request, fromBody?: unknown): { name: string; models: string[] } {
  const asked = req.get('x-refrain-provider') ?? (typeof fromBody === 'string' ? fromBody : undefined) ?? (typeof req.query.provider === 'string' ? req.query.provider : undefined);
  const name = asked?.trim() || deps.defaultProvider;
  const target = providerTarget(deps, name);
  if (!target) throw new OpenAiError(422, `Unknown provider "${name}" (${configuredNames(deps)}).`, 'invalid_request_error', 'unknown_provider', 'provider');
  return { name, models: targetModels(target) };
}
