import type { Request } from 'express';
import type { ProviderRuntime } from '@refrain/engine';
import type { ApiDeps } from '../deps';
import { OpenAiError } from './errors';

/**
 * The provider a chat request runs on: the `x-refrain-provider` header, else
 * `metadata.provider` (or `?provider=` on GET), else the default provider.
 */
export function chatProvider(deps: ApiDeps, req: Request, fromBody?: unknown): { name: string; runtime: ProviderRuntime } {
  const asked = req.get('x-refrain-provider') ?? (typeof fromBody === 'string' ? fromBody : undefined) ?? (typeof req.query.provider === 'string' ? req.query.provider : undefined);
  const name = asked?.trim() || deps.defaultProvider;
  const runtime = deps.providers.get(name);
  if (!runtime) {
    throw new OpenAiError(422, `Unknown provider "${name}" (configured: ${[...deps.providers.keys()].join(', ')}).`, 'invalid_request_error', 'unknown_provider', 'provider');
  }
  return { name, runtime };
}
