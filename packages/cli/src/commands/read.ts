import { GENERATION_STATUSES } from '@refrain/contracts';
import { flag, positional, str, type Command } from '../command';
import { CliError, colors } from '../io';
import { generationDetails, generationTable } from '../render';

export const listCommand: Command = {
  summary: 'your recent generations, newest first',
  usage: `refrain list [--status S] [--limit N] [--cursor C] [--json]

  S is one of ${GENERATION_STATUSES.join(', ')}; N is 1-100 (default 20).`,
  options: { status: { type: 'string' }, limit: { type: 'string' }, cursor: { type: 'string' } },
  async run(ctx) {
    const { io, client, values } = ctx;
    const limit = str(values, 'limit');
    if (limit !== undefined && !/^\d+$/.test(limit)) throw new CliError('--limit must be a number from 1 to 100.', 2);
    const page = await client.listGenerations({ status: str(values, 'status'), limit: limit ? Number(limit) : undefined, cursor: str(values, 'cursor') });
    if (flag(values, 'json')) {
      io.out(JSON.stringify(page, null, 2));
      return 0;
    }
    if (page.data.length === 0 && io.tty) io.out('No generations yet.');
    for (const line of generationTable(io, page.data)) io.out(line);
    if (page.next_cursor && io.tty) io.out(colors(io).dim(`More: refrain list --cursor ${page.next_cursor}`));
    return 0;
  },
};

export const getCommand: Command = {
  summary: 'one generation: steps, clips, audio URLs',
  usage: 'refrain get <id> [--json]',
  options: {},
  async run(ctx) {
    const g = await ctx.client.getGeneration(positional(ctx, 0, 'the generation id'));
    if (flag(ctx.values, 'json')) ctx.io.out(JSON.stringify(g, null, 2));
    else for (const line of generationDetails(ctx.io, g)) ctx.io.out(line);
    return 0;
  },
};
