import { z } from 'zod';

/** Tenant ids: the same shape API_KEYS accepts. */
export const tenantIdSchema = z.string().regex(/^[\w-]{1,64}$/, 'letters, digits, _ and -, at most 64');

/** POST /admin/keys */
export const createApiKeyRequest = z.strictObject({
  tenant: tenantIdSchema,
  name: z.string().min(1).max(100).refine((s) => !/\p{Cc}/u.test(s), 'no control characters').optional(),
});
export type CreateApiKeyRequest = z.infer<typeof createApiKeyRequest>;

/** The one answer that shows the key itself; only its sha256 is stored. */
export const createdApiKey = z.object({
  id: z.string(),
  key: z.string().describe('The API key. Shown once, here; store it now.'),
  tenant: z.string(),
  name: z.string().nullable(),
  prefix: z.string().describe('The first characters of the key, to recognise it in lists.'),
  created_at: z.string(),
});
export type CreatedApiKey = z.infer<typeof createdApiKey>;

export const apiKeyView = z.object({
  id: z.string(),
  tenant: z.string(),
  prefix: z.string(),
  name: z.string().nullable(),
  created_at: z.string(),
  last_used_at: z.string().nullable().describe('Updated at most once a minute.'),
  revoked_at: z.string().nullable(),
});
export type ApiKeyView = z.infer<typeof apiKeyView>;

export const apiKeyList = z.object({ data: z.array(apiKeyView) });

export const listApiKeysQuery = z.strictObject({ tenant: tenantIdSchema.optional() });
