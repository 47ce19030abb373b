import { z } from 'zod';
import { DIALECTS, type Dialect } from './vocabulary';

/**
 * Where proxies of one dialect speak differently, an option picks the variant; each
 * default is the shape most providers document (docs/providers.md says whose). An option
 * is named after its dialect and only applies there.
 */
export const PROVIDER_OPTIONS = {
  /** Feed path: `GET /v1/suno/feed?ids=a,b` (tu-zi) or `GET /suno/feed/a,b` (sibling proxies). */
  native_feed: ['query', 'path'],
  /** Upload answer: `{code, message, data: "<clip id>"}` (tu-zi) or a bare clip object. */
  native_upload: ['envelope', 'clip'],
  /** Stems: generate with `task: "gen_stem"` (the proxies) or `POST …/edit/stems/{id}` (Suno's web path). */
  native_stems: ['generate', 'edit'],
  /** Extending an upload: `task: "upload_extend"` (current) or seed 002's `-upload` model suffix (deprecated). */
  native_upload_extend: ['task', 'model_suffix'],
  /** Status: `GET /gateway/query?ids=` per task (batched) or seed 001's `GET /gateway/feed/{song_id}` per song. */
  gateway_status: ['query', 'feed'],
  /** Submission: answered at once (`async: true` or `callback_url`), or seed 004's blocking answer. */
  action_submit: ['async', 'blocking'],
  /** Upload: `POST /suno/upload {audio_url}` (AceData) or seed 004's `action: "upload_generate"`. */
  action_upload: ['upload', 'upload_generate'],
} as const;
export type ProviderOptionName = keyof typeof PROVIDER_OPTIONS;
export type ProviderOptions = { [K in ProviderOptionName]?: (typeof PROVIDER_OPTIONS)[K][number] };

const option = <K extends ProviderOptionName>(k: K) => z.enum(PROVIDER_OPTIONS[k]).optional();
const optionsSchema = z.strictObject({
  native_feed: option('native_feed'),
  native_upload: option('native_upload'),
  native_stems: option('native_stems'),
  native_upload_extend: option('native_upload_extend'),
  gateway_status: option('gateway_status'),
  action_submit: option('action_submit'),
  action_upload: option('action_upload'),
}) satisfies z.ZodType<ProviderOptions>;

/** The dialect an option belongs to: its name's prefix. */
export const optionDialect = (name: string): Dialect | undefined => DIALECTS.find((d) => name.startsWith(`${d}_`));

/** One entry of the PROVIDERS variable (SPEC section 6). */
export const providerConfig = z
  .strictObject({
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
    /** How long a submission may take to answer; unset: the dialect's (docs/providers.md). */
    submit_timeout_s: z.number().int().min(1).max(900).optional(),
    options: optionsSchema.optional(),
    /**
     * Most tasks (or clip ids, where the dialect asks by clip) one status request carries.
     * Unset: the dialect's default (docs/providers.md); a GET feed is bounded by URL length.
     */
    query_batch_size: z.number().int().min(1).max(5000).optional(),
  })
  .superRefine((c, ctx) => {
    for (const name of Object.keys(c.options ?? {})) {
      const owner = optionDialect(name);
      if (owner !== c.dialect) {
        ctx.addIssue({ code: 'custom', path: ['options', name], message: `applies to ${owner} providers, not to ${c.dialect}` });
      }
    }
  });
export type ProviderConfig = z.infer<typeof providerConfig>;
export const providersConfig = z.array(providerConfig).min(1);
