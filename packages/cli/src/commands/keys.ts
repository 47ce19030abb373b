import { KEYS_USAGE, runKeysCommand } from '@refrain/api/cli/keys';
import { flag, positional, str, type Command } from '../command';
import { CliError } from '../io';

/**
 * Admin: API keys per tenant. The work is the api package's keys module (also behind
 * `pnpm keys`); this maps the CLI's flags onto it, so both behave the same.
 */
export const keysCommand: Command = {
  summary: 'API keys (admin): create, list, revoke',
  usage: `refrain keys create <tenant> | --tenant T [--name N] [--json]
refrain keys list [--tenant T] [--json]
refrain keys revoke <key id>

  Needs ADMIN_TOKEN (or --admin-token). A new key is shown once: store it then.`,
  options: { tenant: { type: 'string' }, name: { type: 'string' } },
  async run(ctx) {
    const { io, client, values, positionals } = ctx;
    const action = positional(ctx, 0, 'create, list or revoke');
    if (!['create', 'list', 'revoke'].includes(action)) throw new CliError(`Unknown keys action "${action}".\n\nUsage:\n${keysCommand.usage}`, 2);
    const tenant = str(values, 'tenant');
    const name = str(values, 'name');
    const argv =
      action === 'create'
        ? ['create', ...(tenant ? [tenant] : []), ...positionals.slice(1), ...(name ? ['--name', name] : [])]
        : action === 'list'
          ? ['list', ...(tenant ? ['--tenant', tenant] : []), ...positionals.slice(1)]
          : ['revoke', ...positionals.slice(1)];
    if (action === 'create' && argv.length < 2) throw new CliError(`keys create needs a tenant (--tenant T).\n\n${KEYS_USAGE}`, 2);
    if (flag(values, 'json')) argv.push('--json');
    return runKeysCommand(argv, { url: client.url, adminToken: client.adminToken(), out: io.out, err: io.err });
  },
};
