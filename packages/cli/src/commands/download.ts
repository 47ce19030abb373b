import { createWriteStream } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import type { GenerationView } from '@refrain/contracts';
import { flag, positional, type Command } from '../command';
import { CliError, colors } from '../io';

const EXT: Record<string, string> = { 'audio/wav': 'wav', 'audio/x-wav': 'wav', 'audio/wave': 'wav', 'audio/mpeg': 'mp3', 'audio/mp3': 'mp3', 'audio/ogg': 'ogg', 'audio/flac': 'flac', 'audio/mp4': 'm4a', 'audio/aac': 'aac' };

const slug = (s: string | null): string =>
  (s ?? '').normalize('NFKD').replace(/[^\w\s-]/g, '').trim().replace(/\s+/g, '-').toLowerCase().slice(0, 40);

/** A file name that says which step and clip it is, with the extension the server's type implies. */
export function clipFileName(clip: GenerationView['clips'][number], contentType: string | null): string {
  const type = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  const fromUrl = /\.([a-z0-9]{2,4})$/i.exec(new URL(clip.audio_url ?? 'http://x/').pathname)?.[1];
  const ext = EXT[type] ?? fromUrl ?? 'audio';
  return [`step${clip.step + 1}`, slug(clip.title), clip.id.slice(0, 12)].filter(Boolean).join('-') + `.${ext}`;
}

export const downloadCommand: Command = {
  summary: "save a generation's audio files",
  usage: `refrain download <id> [dir] [--final]

  Saves every complete clip's audio into dir (default ./<id>).
  --final  only the clips of the last step (the whole song of extend_full)`,
  options: { final: { type: 'boolean' } },
  async run(ctx) {
    const { io, client } = ctx;
    const id = positional(ctx, 0, 'the generation id');
    const dir = path.resolve(io.cwd, ctx.positionals[1] ?? id);
    const g = await client.getGeneration(id);
    const lastStep = g.steps.at(-1)?.index;
    const clips = g.clips.filter((c) => c.status === 'complete' && c.audio_url && (!flag(ctx.values, 'final') || c.step === lastStep));
    if (clips.length === 0) throw new CliError(`Generation ${id} has no finished audio yet (status ${g.status}).`);
    await fs.mkdir(dir, { recursive: true });
    for (const clip of clips) {
      // Audio lives on the provider's host: no Authorization header goes there.
      const res = await fetch(clip.audio_url!).catch((err: Error) => {
        throw new CliError(`Cannot fetch ${clip.audio_url}: ${err.message}`);
      });
      if (!res.ok || !res.body) throw new CliError(`Fetching ${clip.audio_url} failed: HTTP ${res.status}`);
      const file = path.join(dir, clipFileName(clip, res.headers.get('content-type')));
      await pipeline(Readable.fromWeb(res.body as WebReadableStream<Uint8Array>), createWriteStream(file));
      const size = (await fs.stat(file)).size;
      io.out(io.tty ? `${colors(io).green('saved')} ${path.relative(io.cwd, file) || file}  ${colors(io).dim(`${(size / 1024).toFixed(0)} KiB`)}` : file);
    }
    return 0;
  },
};
