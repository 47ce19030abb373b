/** The servers the engine tests use (SPEC section 7): the local defaults unless the environment says otherwise. */
export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
export const ADMIN_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
export const TEST_LOG_LEVEL = process.env.TEST_LOG_LEVEL ?? 'silent';
