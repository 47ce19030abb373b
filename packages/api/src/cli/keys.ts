import type { ApiKeyView, CreatedApiKey } from '@refrain/contracts';

/**
 * `keys create <tenant> [--name x] | list [--tenant t] | revoke <id>` over the admin HTTP
 * API. A module, not a script: the full `refrain` CLI reuses `runKeysCommand`.
 */
export interface KeysCommandOptions {
  /** Base URL of a running Refrain (REFRAIN_URL). */
  url: string;
  adminToken: string;
  out?: (line: string) => void;
  err?: (line: string) => void;
  fetch?: typeof fetch;
}

export const KEYS_USAGE = `Usage:
  keys create <tenant> [--name <name>] [--json]   make an API key (shown once)
  keys list [--tenant <tenant>] [--json]           list keys (never the keys themselves)
  keys revoke <id>                                 refuse a key from the next request on

Talks to REFRAIN_URL (default http://127.0.0.1:3000) with ADMIN_TOKEN.`;

interface Parsed {
  command: string | undefined;
  args: string[];
  flags: Record<string, string | true>;
}

export function parseArgs(argv: string[]): Parsed {
  const args: string[] = [];
  const flags: Record<string, string | true> = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a.startsWith('--')) {
      const [name, inline] = a.slice(2).split('=', 2) as [string, string | undefined];
      const next = argv[i + 1];
      if (inline !== undefined) flags[name] = inline;
      else if (name !== 'json' && name !== 'help' && next !== undefined && !next.startsWith('--')) flags[name] = argv[++i]!;
      else flags[name] = true;
    } else args.push(a);
  }
  return { command: args[0], args: args.slice(1), flags };
}

class CommandError extends Error {}

async function call<T>(opts: KeysCommandOptions, method: string, path: string, body?: unknown): Promise<T> {
  const doFetch = opts.fetch ?? fetch;
  let res: Response;
  try {
    res = await doFetch(new URL(path, opts.url), {
      method,
      headers: { authorization: `Bearer ${opts.adminToken}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
  } catch (e) {
    const why = (e as { cause?: { code?: string } }).cause?.code ?? (e as Error).message;
    throw new CommandError(`cannot reach Refrain at ${opts.url} (${why}); is it running? Set REFRAIN_URL.`);
  }
  const text = await res.text();
  const parsed = text ? (JSON.parse(text) as unknown) : undefined;
  if (!res.ok) {
    const detail = (parsed as { detail?: string } | undefined)?.detail ?? res.statusText;
    if (res.status === 401) throw new CommandError(`refused: ${detail} Check ADMIN_TOKEN.`);
    throw new CommandError(`${res.status}: ${detail}`);
  }
  return parsed as T;
}

const table = (rows: string[][]): string[] => {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  return rows.map((r) => r.map((cell, c) => cell.padEnd(widths[c]!)).join('  ').trimEnd());
};

/** Runs one keys command; resolves to the exit code (0 ok, 1 failed, 2 usage). */
export async function runKeysCommand(argv: string[], opts: KeysCommandOptions): Promise<number> {
  const out = opts.out ?? ((l: string) => process.stdout.write(`${l}\n`));
  const err = opts.err ?? ((l: string) => process.stderr.write(`${l}\n`));
  const { command, args, flags } = parseArgs(argv);
  const usage = (msg?: string) => {
    if (msg) err(msg);
    err(KEYS_USAGE);
    return 2;
  };
  try {
    if (command === 'create') {
      const tenant = args[0];
      if (!tenant || args.length > 1) return usage('create needs exactly one tenant.');
      const name = typeof flags.name === 'string' ? flags.name : undefined;
      const k = await call<CreatedApiKey>(opts, 'POST', '/admin/keys', { tenant, ...(name ? { name } : {}) });
      if (flags.json) out(JSON.stringify(k));
      else {
        out(`API key for tenant "${k.tenant}" (id ${k.id}${k.name ? `, "${k.name}"` : ''}):`);
        out('');
        out(`  ${k.key}`);
        out('');
        out('It is shown this once; Refrain keeps only its hash. Send it as "Authorization: Bearer <key>".');
      }
      return 0;
    }
    if (command === 'list') {
      if (args.length > 0) return usage('list takes no arguments (use --tenant).');
      const tenant = typeof flags.tenant === 'string' ? `?tenant=${encodeURIComponent(flags.tenant)}` : '';
      const { data } = await call<{ data: ApiKeyView[] }>(opts, 'GET', `/admin/keys${tenant}`);
      if (flags.json) out(JSON.stringify(data));
      else if (data.length === 0) out('No API keys.');
      else {
        const rows = data.map((k) => [k.id, k.tenant, `${k.prefix}…`, k.name ?? '', k.created_at, k.last_used_at ?? 'never', k.revoked_at ? `revoked ${k.revoked_at}` : 'active']);
        for (const line of table([['ID', 'TENANT', 'PREFIX', 'NAME', 'CREATED', 'LAST USED', 'STATE'], ...rows])) out(line);
      }
      return 0;
    }
    if (command === 'revoke') {
      const id = args[0];
      if (!id || args.length > 1) return usage('revoke needs exactly one key id (see keys list).');
      await call(opts, 'DELETE', `/admin/keys/${encodeURIComponent(id)}`);
      out(`Revoked ${id}: it is refused from the next request on.`);
      return 0;
    }
    if (!command || command === 'help' || flags.help) return usage();
    return usage(`Unknown command "${command}".`);
  } catch (e) {
    if (e instanceof CommandError) {
      err(e.message);
      return 1;
    }
    throw e;
  }
}
