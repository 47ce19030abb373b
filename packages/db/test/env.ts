/** The Postgres server the db tests use (SPEC section 7): the local default unless the environment says otherwise. */
export const ADMIN_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
