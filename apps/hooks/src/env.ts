import { parseEnv } from '@refrain/bootstrap';

/** The only place this app reads the environment (SPEC section 6). */
export const env = parseEnv(process.env);
