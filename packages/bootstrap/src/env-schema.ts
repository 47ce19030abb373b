import { z } from 'zod';
import { poolIssues, poolsConfig, providersConfig } from '@refrain/contracts';

/** A variable holding JSON, read with `schema`; each issue names its path inside the JSON. */
const jsonOf = <T extends z.ZodType>(schema: T) =>
  z.string().transform((s, ctx): z.output<T> => {
    try {
      const parsed = schema.safeParse(JSON.parse(s));
      if (parsed.success) return parsed.data;
      for (const i of parsed.error.issues) ctx.addIssue({ code: 'custom', message: `${i.path.join('.')}: ${i.message}` });
    } catch {
      ctx.addIssue({ code: 'custom', message: 'is not valid JSON' });
    }
    return z.NEVER;
  });

/** The providers PROVIDERS leaves to the built-in simulator when unset (start.ts). */
const BUILT_IN_PROVIDERS = [{ name: 'sim' }];

/**
 * Seeded keys are stored as sha256, like generated ones (a slow hash would be paid on every
 * request): safe for long random keys, not for short or guessable ones. So they must be long.
 */
export const MIN_SEEDED_KEY_LENGTH = 32;

const apiKeys = z.string().transform((s, ctx) => {
  const pairs = s.split(',').map((p) => p.trim()).filter(Boolean).map((p) => {
    const at = p.indexOf(':');
    return { tenant: p.slice(0, at), key: p.slice(at + 1) };
  });
  if (pairs.some((p) => !/^[\w-]{1,64}$/.test(p.tenant) || p.key.length < MIN_SEEDED_KEY_LENGTH || !/^[\x21-\x7e]+$/.test(p.key))) {
    ctx.addIssue({ code: 'custom', message: `must be tenant:key pairs, comma separated, keys of ${MIN_SEEDED_KEY_LENGTH}+ visible ASCII characters (long and random: they are stored as sha256)` });
    return z.NEVER;
  }
  return pairs;
});

const bool = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');

/** `VAR=` (as compose writes `${VAR:-}`) means unset for these optional knobs. */
const unsetIfEmpty = <T extends z.ZodType>(schema: T) => z.preprocess((v) => (v === '' ? undefined : v), schema.optional());

/** `host:port` (or `[v6]:port`) items, comma separated: sentinels or cluster seeds. */
const hostPortList = z.string().transform((s, ctx) => {
  const items = s.split(',').map((p) => p.trim()).filter(Boolean);
  if (items.length === 0) ctx.addIssue({ code: 'custom', message: 'needs at least one host:port' });
  const out: { host: string; port: number }[] = [];
  for (const item of items) {
    const m = /^\[([0-9a-fA-F:.]+)\]:(\d{1,5})$/.exec(item) ?? /^([^\s:/@[\]]+):(\d{1,5})$/.exec(item);
    const port = Number(m?.[2]);
    if (!m || port < 1 || port > 65535) ctx.addIssue({ code: 'custom', message: `"${item}" is not host:port` });
    else out.push({ host: m[1]!, port });
  }
  return out;
});

const REDIS_CHOICES = ['REDIS_URL', 'REDIS_SENTINELS', 'REDIS_CLUSTER_NODES'] as const;

/** Every variable of SPEC section 6, plus a few operational knobs. Apps parse it once in env.ts. */
export const refrainEnv = z.object({
  DATABASE_URL: z.string().url().optional(),
  /** One Redis. Or REDIS_SENTINELS (behind Sentinel), or REDIS_CLUSTER_NODES (a Cluster): exactly one (docs/deploy.md). */
  REDIS_URL: unsetIfEmpty(z.string().url()),
  REDIS_SENTINELS: unsetIfEmpty(hostPortList),
  /** The master group's name, as in `sentinel monitor <name> …`. */
  REDIS_SENTINEL_NAME: unsetIfEmpty(z.string().min(1)),
  /** Password of the Redis servers (Sentinel's master and replicas, Cluster nodes; REDIS_URL may carry its own). */
  REDIS_PASSWORD: unsetIfEmpty(z.string().min(1)),
  /** Password of the sentinels themselves, when they have one. */
  REDIS_SENTINEL_PASSWORD: unsetIfEmpty(z.string().min(1)),
  REDIS_CLUSTER_NODES: unsetIfEmpty(hostPortList),
  PROVIDERS: jsonOf(providersConfig).optional(),
  /** Named groups of providers a request may name instead of one provider (docs/providers.md, "Provider pools"). */
  POOLS: unsetIfEmpty(jsonOf(poolsConfig)),
  /** A provider or a pool. */
  DEFAULT_PROVIDER: z.string().min(1).optional(),
  /** How often the credits of pool members are asked for, where their dialect reports them (seconds). */
  POOL_CREDITS_REFRESH_S: z.coerce.number().int().min(5).max(86_400).default(300),
  API_KEYS: apiKeys.optional(),
  ADMIN_TOKEN: z.string().min(16).optional(),
  PUBLIC_HOOKS_URL: z.string().url().optional(),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('127.0.0.1'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  DATA_DIR: z.string().default('./.data'),
  /** As root only: where the embedded Postgres keeps binaries and cluster when user postgres cannot reach DATA_DIR (docs/architecture.md). */
  PG_RUNTIME_DIR: z.string().min(1).default('/var/lib/refrain'),
  /** How long start-up waits for DATABASE_URL / REDIS_URL to answer before it gives up, in seconds. */
  STARTUP_WAIT_S: z.coerce.number().int().min(0).max(600).default(10),
  QUEUE_PREFIX: z.string().regex(/^[\w-]+$/).default('refrain'),
  WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(1000).default(50),
  SIM_DURATION_MS: z.coerce.number().int().min(0).max(600000).default(3000),
  ALLOW_LOOPBACK_URLS: bool.default(false),
  /** Serves /metrics on this port in processes without the API (worker, hooks); the API serves it on PORT. */
  METRICS_PORT: unsetIfEmpty(z.coerce.number().int().min(0).max(65535)),
  /** OpenTelemetry collector (OTLP/HTTP); when set, queue and job spans are exported there. */
  OTEL_EXPORTER_OTLP_ENDPOINT: unsetIfEmpty(z.string().url()),
  OTEL_SERVICE_NAME: unsetIfEmpty(z.string().min(1)),
  /** Longest a chat completion waits for its song, in seconds (docs/chat.md). */
  CHAT_MAX_WAIT_S: z.coerce.number().int().min(1).max(3600).default(300),
  WEBHOOK_RETRY_BASE_MS: z.coerce.number().int().min(10).max(600000).default(2000),
  /** Requests per minute per API key (docs/api.md). */
  RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).max(1_000_000).default(600),
  /** Failed authentications per client address and minute before 429 (docs/api.md). */
  AUTH_FAILURES_PER_MINUTE: z.coerce.number().int().min(1).max(1_000_000).default(60),
  /** Long-lived connections (event streams, ?wait, chat completions) one API key holds at once (docs/api.md). */
  CONNECTIONS_PER_KEY: z.coerce.number().int().min(1).max(100_000).default(20),
  /** The same, for all keys of a tenant together. */
  CONNECTIONS_PER_TENANT: z.coerce.number().int().min(1).max(100_000).default(50),
  /** How long an Idempotency-Key and its answer are kept, in hours (docs/api.md). */
  IDEMPOTENCY_TTL_HOURS: z.coerce.number().min(1).max(24 * 30).default(24),
  /** Largest JSON body of /v1 requests (bytes, or with a unit: 64kb, 1mb). */
  BODY_LIMIT: z.string().regex(/^\d+(?:b|kb|mb)?$/i, 'a size such as 65536, 64kb or 1mb').default('64kb'),
  /** false: the audio_url guard judges host names without asking DNS (tests that must stay on loopback). */
  URL_GUARD_DNS: bool.default(true),
}).superRefine((env, ctx) => {
  const providers = env.PROVIDERS ?? BUILT_IN_PROVIDERS;
  for (const message of poolIssues(env.POOLS ?? [], providers)) ctx.addIssue({ code: 'custom', path: ['POOLS'], message });
  const names = [...providers.map((p) => p.name), ...(env.POOLS ?? []).map((p) => p.name)];
  if (env.DEFAULT_PROVIDER && !names.includes(env.DEFAULT_PROVIDER)) {
    ctx.addIssue({ code: 'custom', path: ['DEFAULT_PROVIDER'], message: `names no provider or pool (configured: ${names.join(', ')})` });
  }
  const set = REDIS_CHOICES.filter((k) => env[k] !== undefined);
  if (set.length > 1) {
    ctx.addIssue({
      code: 'custom',
      path: [],
      message: `${set.join(' and ')} are set together: set exactly one of REDIS_URL (one Redis), REDIS_SENTINELS (Redis behind Sentinel) or REDIS_CLUSTER_NODES (a Redis Cluster)`,
    });
  }
  if (env.REDIS_SENTINELS && !env.REDIS_SENTINEL_NAME) {
    ctx.addIssue({ code: 'custom', path: ['REDIS_SENTINEL_NAME'], message: "is required with REDIS_SENTINELS: the master group's name, as in `sentinel monitor <name> …`" });
  }
  for (const k of ['REDIS_SENTINEL_NAME', 'REDIS_SENTINEL_PASSWORD'] as const) {
    if (env[k] && !env.REDIS_SENTINELS) ctx.addIssue({ code: 'custom', path: [k], message: 'is set but REDIS_SENTINELS is not' });
  }
  if (env.REDIS_PASSWORD && set.length === 0) {
    ctx.addIssue({ code: 'custom', path: ['REDIS_PASSWORD'], message: 'is set but no Redis is (REDIS_URL, REDIS_SENTINELS or REDIS_CLUSTER_NODES)' });
  }
  if (env.REDIS_PASSWORD && env.REDIS_URL && new URL(env.REDIS_URL).password) {
    ctx.addIssue({ code: 'custom', path: ['REDIS_PASSWORD'], message: 'is set and REDIS_URL carries a password too: keep one' });
  }
});
export type RefrainEnv = z.infer<typeof refrainEnv>;

/** Parse, or stop the process with a message naming each bad variable. */
export function parseEnv(source: Record<string, string | undefined>): RefrainEnv {
  const r = refrainEnv.safeParse(source);
  if (r.success) return r.data;
  const lines = r.error.issues.map((i) => (i.path.length ? `  ${String(i.path[0])}: ${i.message}` : `  ${i.message}`));
  process.stderr.write(`Invalid configuration:\n${lines.join('\n')}\n`);
  process.exit(2);
}
