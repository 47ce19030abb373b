import { z } from 'zod';
import { DIALECTS } from './vocabulary';

/** One entry of the PROVIDERS variable (SPEC section 6). */
export const providerConfig = z.strictObject({
  name: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, 'lowercase letters, digits, - and _'),
  dialect: z.enum(DIALECTS),
  base_url: z.url({ protocol: /^https?$/ }),
  api_key: z.string().min(1),
  callbacks: z.boolean().default(false),
  paths: z.record(z.string(), z.string().startsWith('/')).default({}),
  models: z.array(z.string().min(1)).min(1).optional(),
  default_model: z.string().min(1).optional(),
  max_rps: z.number().positive().max(1000).default(10),
  max_in_flight: z.number().int().positive().max(100000).default(500),
  poll_interval_ms: z.number().int().min(50).max(600000).default(3000),
  deadline_s: z.number().int().min(1).max(86400).default(900),
  /**
   * Most tasks (or clip ids, where the dialect asks by clip) one status request carries.
   * Unset: the dialect's default (docs/providers.md); a GET feed is bounded by URL length.
   */
  query_batch_size: z.number().int().min(1).max(5000).optional(),
});
export type ProviderConfig = z.infer<typeof providerConfig>;
export const providersConfig = z.array(providerConfig).min(1);
