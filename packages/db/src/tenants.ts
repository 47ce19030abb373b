import { createHash, randomBytes } from 'node:crypto';
import { and, eq, isNull } from 'drizzle-orm';
import { newId } from '@refrain/core';
import type { Db } from './connect';
import { run, statement } from './prepared';
import { apiKeys, tenants } from './schema';

/** API keys and callback tokens are stored as sha256: a leaked table leaks no key. */
export const sha256 = (s: string): string => createHash('sha256').update(s).digest('hex');
export const newApiKey = (): string => `rk_${randomBytes(24).toString('base64url')}`;
const newWebhookSecret = (): string => `whsec_${randomBytes(24).toString('base64')}`;

export async function ensureTenant(db: Db, tenantId: string): Promise<void> {
  await db.insert(tenants).values({ id: tenantId, webhookSecret: newWebhookSecret() }).onConflictDoNothing();
}

/** Seed a key given in configuration (API_KEYS); idempotent. */
export async function seedApiKey(db: Db, tenantId: string, key: string, name = 'seeded'): Promise<void> {
  await ensureTenant(db, tenantId);
  await db
    .insert(apiKeys)
    .values({ id: newId('key'), tenantId, hash: sha256(key), prefix: key.slice(0, 7), name })
    .onConflictDoNothing();
}

export async function createApiKey(db: Db, tenantId: string, name?: string) {
  await ensureTenant(db, tenantId);
  const key = newApiKey();
  const [row] = await db
    .insert(apiKeys)
    .values({ id: newId('key'), tenantId, hash: sha256(key), prefix: key.slice(0, 7), name: name ?? null })
    .returning();
  return { key, id: row!.id, tenant: tenantId, prefix: row!.prefix, created_at: row!.createdAt.toISOString() };
}

export async function listApiKeys(db: Db, tenantId?: string) {
  const rows = await db.select().from(apiKeys).where(tenantId ? eq(apiKeys.tenantId, tenantId) : undefined);
  return rows.map((r) => ({
    id: r.id,
    tenant: r.tenantId,
    prefix: r.prefix,
    name: r.name,
    created_at: r.createdAt.toISOString(),
    last_used_at: r.lastUsedAt?.toISOString() ?? null,
    revoked_at: r.revokedAt?.toISOString() ?? null,
  }));
}

export async function revokeApiKey(db: Db, id: string): Promise<boolean> {
  const rows = await db
    .update(apiKeys)
    .set({ revokedAt: new Date() })
    .where(and(eq(apiKeys.id, id), isNull(apiKeys.revokedAt)))
    .returning({ id: apiKeys.id });
  return rows.length > 0;
}

/** The tenant of a presented key, or null. Marks the key used (at most once a minute). */
const KEY_BY_HASH = statement(
  'key_by_hash',
  `select id, tenant_id as "tenantId", revoked_at as "revokedAt", last_used_at as "lastUsedAt" from api_keys where hash = $1 limit 1`,
);

export async function authenticateKey(db: Db, key: string): Promise<{ tenantId: string; keyId: string } | null> {
  // Every /v1 request asks this: a prepared statement, no query builder (docs/performance.md).
  const [row] = await run<{ id: string; tenantId: string; revokedAt: Date | null; lastUsedAt: Date | null }>(db, KEY_BY_HASH, [sha256(key)]);
  if (!row || row.revokedAt) return null;
  const now = new Date();
  if (!row.lastUsedAt || now.getTime() - row.lastUsedAt.getTime() > 60_000) {
    await db.update(apiKeys).set({ lastUsedAt: now }).where(eq(apiKeys.id, row.id));
  }
  return { tenantId: row.tenantId, keyId: row.id };
}

export async function getWebhookSecret(db: Db, tenantId: string): Promise<string> {
  await ensureTenant(db, tenantId);
  const [row] = await db.select({ s: tenants.webhookSecret }).from(tenants).where(eq(tenants.id, tenantId));
  return row!.s;
}

export async function rotateWebhookSecret(db: Db, tenantId: string): Promise<string> {
  await ensureTenant(db, tenantId);
  const secret = newWebhookSecret();
  await db.update(tenants).set({ webhookSecret: secret }).where(eq(tenants.id, tenantId));
  return secret;
}
