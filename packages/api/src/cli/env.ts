import { z } from 'zod';

/** What the keys command reads from the environment; the only place it does. */
const keysCliEnv = z.object({
  REFRAIN_URL: z.url({ protocol: /^https?$/ }).default('http://127.0.0.1:3000'),
  ADMIN_TOKEN: z.string().min(1).optional(),
  /** Where `pnpm start` keeps development credentials, used when ADMIN_TOKEN is unset. */
  DATA_DIR: z.string().default('./.data'),
});
export type KeysCliEnv = z.infer<typeof keysCliEnv>;

export function readKeysCliEnv(source: Record<string, string | undefined> = process.env): KeysCliEnv | { error: string } {
  const r = keysCliEnv.safeParse(source);
  if (r.success) return r.data;
  return { error: r.error.issues.map((i) => `${String(i.path[0])}: ${i.message}`).join('; ') };
}
