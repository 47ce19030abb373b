import { parseEnv } from '@refrain/bootstrap';

/** The only place this app reads the environment (SPEC section 6). */
export const env = parseEnv(process.env);

/** The demo picks a free port and a short simulated song unless told otherwise. */
export const demoEnv = parseEnv({
  ...process.env,
  PORT: process.env.PORT ?? '0',
  SIM_DURATION_MS: process.env.SIM_DURATION_MS ?? '1500',
  LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
});
