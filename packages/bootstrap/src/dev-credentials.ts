import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

export interface DevCredentials {
  apiKey: string;
  adminToken: string;
}

/**
 * With no API_KEYS / ADMIN_TOKEN, `pnpm start` makes development ones and keeps them in
 * DATA_DIR so a restart prints the same ones.
 */
export function loadOrCreateDevCredentials(dataDir: string): DevCredentials {
  const file = path.resolve(dataDir, 'dev-credentials.json');
  try {
    const c = JSON.parse(fs.readFileSync(file, 'utf8')) as DevCredentials;
    if (c.apiKey && c.adminToken) return c;
  } catch {
    // first start
  }
  const c: DevCredentials = {
    apiKey: `rk_dev_${randomBytes(18).toString('base64url')}`,
    adminToken: `adm_${randomBytes(18).toString('base64url')}`,
  };
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, JSON.stringify(c, null, 2), { mode: 0o600 });
  return c;
}
