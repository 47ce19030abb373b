import { parseArgs } from 'node:util';
import { createClient } from './client';
import type { Command, Values } from './command';
import { downloadCommand } from './commands/download';
import { getCommand, listCommand } from './commands/read';
import { keysCommand } from './commands/keys';
import { generateCommand, runCommand } from './commands/submit';
import { watchCommand } from './commands/watch';
import { DEFAULT_URL, type CliEnv } from './env';
import { CliError, type Io } from './io';

export const COMMANDS: Record<string, Command> = {
  generate: generateCommand,
  run: runCommand,
  watch: watchCommand,
  list: listCommand,
  get: getCommand,
  download: downloadCommand,
  keys: keysCommand,
};

const COMMON = {
  url: { type: 'string' },
  'api-key': { type: 'string' },
  'admin-token': { type: 'string' },
  json: { type: 'boolean' },
  plain: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

export function usage(): string {
  const names = Object.keys(COMMANDS);
  const width = Math.max(...names.map((n) => n.length));
  return [
    'refrain — drive Refrain from the terminal',
    '',
    'Usage: refrain <command> [options]   (refrain <command> --help for its options)',
    '',
    ...names.map((n) => `  ${n.padEnd(width)}  ${COMMANDS[n]!.summary}`),
    '',
    'Options for every command:',
    `  --url URL            Refrain's address (REFRAIN_URL, default ${DEFAULT_URL})`,
    '  --api-key KEY        API key (REFRAIN_API_KEY)',
    '  --admin-token TOKEN  admin token for keys (ADMIN_TOKEN)',
    '  --json               machine-readable output: the API\'s own JSON',
    '  --plain              plain lines even on a terminal (also when piped, or with NO_COLOR for colour)',
  ].join('\n');
}

/** Run one command line; returns the exit code (0 ok, 1 failed or not succeeded, 2 usage). */
export async function runCli(argv: readonly string[], io: Io, env: CliEnv): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === 'help' || name === '--help' || name === '-h') {
    io.out(usage());
    return name ? 0 : 2;
  }
  const command = COMMANDS[name];
  if (!command) {
    io.err(`Unknown command "${name}".\n\n${usage()}`);
    return 2;
  }
  try {
    let parsed: { values: Values; positionals: string[] };
    try {
      parsed = parseArgs({ args: [...rest], options: { ...COMMON, ...command.options }, allowPositionals: true, strict: true }) as typeof parsed;
    } catch (err) {
      throw new CliError(`${(err as Error).message}\n\nUsage:\n${command.usage}`, 2);
    }
    const { values, positionals } = parsed;
    if (values.help) {
      io.out(command.usage);
      return 0;
    }
    const plain = values.plain === true;
    const client = createClient({
      url: (values.url as string | undefined) ?? env.REFRAIN_URL ?? DEFAULT_URL,
      apiKey: (values['api-key'] as string | undefined) ?? env.REFRAIN_API_KEY,
      adminToken: (values['admin-token'] as string | undefined) ?? env.ADMIN_TOKEN,
    });
    const runIo = plain ? { ...io, tty: false, color: false } : io;
    return await command.run({ io: runIo, client, values, positionals, usage: command.usage });
  } catch (err) {
    if (err instanceof CliError) {
      io.err(err.message);
      return err.code;
    }
    io.err(`Unexpected error: ${(err as Error).stack ?? String(err)}`);
    return 1;
  }
}
