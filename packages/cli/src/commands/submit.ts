import fs from 'node:fs/promises';
import path from 'node:path';
import type { GenerationView } from '@refrain/contracts';
import { exitFor, flag, positional, str, type Command, type Ctx, type Values } from '../command';
import { followGeneration, waitFinal } from '../follow';
import { CliError, colors } from '../io';
import { createProgressView, finalSummary } from '../render';

const WAIT_OPTIONS = { wait: { type: 'boolean' }, provider: { type: 'string' } } as const;

/** The request `generate` sends: description mode, or custom mode with lyrics, title and tags. */
export function generateBody(v: Values, lyricsFromFile?: string): Record<string, unknown> {
  const description = str(v, 'description');
  const lyrics = lyricsFromFile ?? str(v, 'lyrics');
  const custom = lyrics !== undefined || str(v, 'title') !== undefined || str(v, 'tags') !== undefined;
  if (description !== undefined && custom) {
    throw new CliError('Use either --description (description mode) or --lyrics/--title/--tags (custom mode), not both.', 2);
  }
  if (description === undefined && !custom) throw new CliError('Say what to make: --description "…", or --lyrics/--title/--tags.', 2);
  if (custom && flag(v, 'instrumental') && lyrics) throw new CliError('--instrumental takes no --lyrics (custom mode sings them).', 2);
  const model = str(v, 'model');
  const step: Record<string, unknown> = description !== undefined
    ? { op: 'generate', gpt_description_prompt: description, make_instrumental: flag(v, 'instrumental') }
    : {
        op: 'generate',
        prompt: lyrics ?? '', // empty lyrics = instrumental (SPEC section 4)
        ...(str(v, 'title') !== undefined ? { title: str(v, 'title') } : {}),
        ...(str(v, 'tags') !== undefined ? { tags: str(v, 'tags') } : {}),
      };
  if (model) step.mv = model;
  const provider = str(v, 'provider');
  return { steps: [step], ...(provider ? { provider } : {}) };
}

/** `run` accepts `{steps}`, `{scenario, input}`, or a bare array of steps. */
export function runBody(parsed: unknown, provider?: string): Record<string, unknown> {
  const body = Array.isArray(parsed) ? { steps: parsed } : parsed;
  if (typeof body !== 'object' || body === null || (!('steps' in body) && !('scenario' in body))) {
    throw new CliError('The file must hold {"steps": [...]}, {"scenario": "...", "input": {...}} or an array of steps.', 2);
  }
  return { ...(body as Record<string, unknown>), ...(provider ? { provider } : {}) };
}

/** After POST: print it, or (--wait) follow it to the end and exit by its final state. */
export async function submitAndReport(ctx: Ctx, body: unknown): Promise<number> {
  const { io, client, values } = ctx;
  const created = await client.createGeneration(body);
  const json = flag(values, 'json');
  if (!flag(values, 'wait')) {
    if (json) io.out(JSON.stringify(created, null, 2));
    else if (io.tty) {
      const c = colors(io);
      io.out(`Submitted ${c.bold(created.id)} (${created.steps.map((s) => s.op).join(' → ')}), ${created.status}.`);
      io.out(c.dim(`Follow it: refrain watch ${created.id}`));
    } else io.out(created.id);
    return 0;
  }
  let final: GenerationView;
  if (json) final = await waitFinal(client, created.id);
  else {
    const show = createProgressView(io);
    final = await followGeneration(client, created.id, { onUpdate: show });
  }
  if (json) io.out(JSON.stringify(final, null, 2));
  else for (const line of finalSummary(io, final)) io.out(line);
  return exitFor(final.status);
}

export const generateCommand: Command = {
  summary: 'make a song (description or custom mode)',
  usage: `refrain generate --description "…" [--instrumental] [--model M] [--provider P] [--wait] [--json]
refrain generate --lyrics "…" | --lyrics-file F  [--title T] [--tags "…"] [--model M] [--provider P] [--wait] [--json]

  --wait   follow the generation live and exit 0 only if it succeeds
  --json   print the generation as the API returns it`,
  options: {
    ...WAIT_OPTIONS,
    description: { type: 'string', short: 'd' },
    instrumental: { type: 'boolean' },
    lyrics: { type: 'string' },
    'lyrics-file': { type: 'string' },
    title: { type: 'string' },
    tags: { type: 'string' },
    model: { type: 'string' },
  },
  async run(ctx) {
    const file = str(ctx.values, 'lyrics-file');
    const lyrics = file ? await fs.readFile(path.resolve(ctx.io.cwd, file), 'utf8') : undefined;
    return submitAndReport(ctx, generateBody(ctx.values, lyrics));
  },
};

export const runCommand: Command = {
  summary: 'submit any steps list or scenario from a JSON file ("-" = stdin)',
  usage: `refrain run <file.json> [--provider P] [--wait] [--json]

  The file holds {"steps": [...]}, {"scenario": "extend_full", "input": {...}}, or an array of steps.`,
  options: { ...WAIT_OPTIONS },
  async run(ctx) {
    const file = positional(ctx, 0, 'the JSON file to run');
    const text = file === '-' ? await readStdin() : await fs.readFile(path.resolve(ctx.io.cwd, file), 'utf8').catch((err: Error) => {
      throw new CliError(`Cannot read ${file}: ${err.message}`, 2);
    });
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (err) {
      throw new CliError(`${file} is not valid JSON: ${(err as Error).message}`, 2);
    }
    return submitAndReport(ctx, runBody(parsed, str(ctx.values, 'provider')));
  },
};

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
