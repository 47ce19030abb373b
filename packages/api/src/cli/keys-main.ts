import fs from 'node:fs';
import path from 'node:path';
import { readKeysCliEnv } from './env';
import { runKeysCommand } from './keys';

// `pnpm keys …`: environment (or the dev credentials `pnpm start` wrote) → runKeysCommand.
const env = readKeysCliEnv();
if ('error' in env) {
  process.stderr.write(`Invalid configuration: ${env.error}\n`);
  process.exit(2);
}

function devAdminToken(dataDir: string): string | undefined {
  try {
    const file = path.resolve(dataDir, 'dev-credentials.json');
    return (JSON.parse(fs.readFileSync(file, 'utf8')) as { adminToken?: string }).adminToken;
  } catch {
    return undefined;
  }
}

const adminToken = env.ADMIN_TOKEN ?? devAdminToken(env.DATA_DIR);
if (!adminToken) {
  process.stderr.write('Set ADMIN_TOKEN (the development one is in ./.data/dev-credentials.json after `pnpm start`).\n');
  process.exit(2);
}
process.exitCode = await runKeysCommand(process.argv.slice(2), { url: env.REFRAIN_URL, adminToken });
