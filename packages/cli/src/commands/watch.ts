import { exitFor, flag, positional, type Command } from '../command';
import { followGeneration } from '../follow';
import { createProgressView, finalSummary } from '../render';

export const watchCommand: Command = {
  summary: 'follow a generation live (SSE): steps, clips, final audio URLs',
  usage: `refrain watch <id> [--json]

  Exits when the generation is final: 0 if it succeeded, 1 otherwise.
  --json   print each event as one JSON line, then the final generation`,
  options: {},
  async run(ctx) {
    const id = positional(ctx, 0, 'the generation id');
    const { io, client } = ctx;
    if (flag(ctx.values, 'json')) {
      const final = await followGeneration(client, id, {
        onUpdate: () => {},
        onEvent: (ev) => io.out(JSON.stringify({ id: ev.id ?? null, event: ev.event, data: safeJson(ev.data) })),
      });
      io.out(JSON.stringify({ event: 'final', data: final }));
      return exitFor(final.status);
    }
    const final = await followGeneration(client, id, { onUpdate: createProgressView(io) });
    for (const line of finalSummary(io, final)) io.out(line);
    return exitFor(final.status);
  },
};

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
