import { z } from 'zod';

/** Unset and empty are the same: `SIM_API_KEY=` in a .env file means "use the default". */
const opt = <T extends z.ZodType>(schema: T) =>
  z.preprocess((v) => (typeof v === 'string' && v.trim() === '' ? undefined : v), schema.optional());

const schema = z.object({
  PORT: opt(z.coerce.number().int().min(0).max(65535)).transform((v) => v ?? 3090),
  HOST: opt(z.string().min(1)).transform((v) => v ?? '127.0.0.1'),
  SIM_API_KEY: opt(z.string().min(1)),
  SIM_DURATION_MS: opt(z.coerce.number().int().min(0).max(2_147_483_647)),
  PUBLIC_URL: opt(z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' })),
});

export type Env = z.infer<typeof schema>;

/** Parses the simulator's variables; throws an Error naming each bad variable. */
export function parseEnv(source: Record<string, string | undefined>): Env {
  const r = schema.safeParse(source);
  if (r.success) return r.data;
  const lines = r.error.issues.map((i) => `${i.path.join('.') || '(env)'}: ${i.message}`);
  throw new Error(`Invalid environment: ${lines.join('; ')}`);
}

/** Read once at start; a bad value stops the process with a message naming the variable. */
export function readEnv(): Env {
  try {
    return parseEnv(process.env);
  } catch (err) {
    console.error((err as Error).message);
    process.exit(1);
  }
}
