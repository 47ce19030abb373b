import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GenerationView } from '@refrain/contracts';
import { KEYS, startHarness, type Harness } from '../support/harness';

// A short maximum wait so the timeout case is quick; ordinary songs take ~1 s here.
const MAX_WAIT_S = 8;

let h: Harness;
let client: OpenAI;
beforeAll(async () => {
  h = await startHarness({ env: { CHAT_MAX_WAIT_S: String(MAX_WAIT_S) } });
  client = new OpenAI({ baseURL: `${h.url}/v1`, apiKey: KEYS.alpha });
});
afterAll(async () => {
  await h?.stop();
});

const generationIdOf = (completionId: string): string => completionId.replace(/^chatcmpl-/, '');
const links = (text: string, kind: 'audio' | 'video' | 'stream'): string[] =>
  [...text.matchAll(new RegExp(`https?://\\S+/${kind}/[\\w-]+\\.(?:wav|mp4)`, 'g'))].map((m) => m[0]);

async function expectPlayable(url: string) {
  const res = await fetch(url);
  expect(res.status).toBe(200);
  expect(Buffer.from(await res.arrayBuffer()).subarray(0, 4).toString()).toBe('RIFF');
}

async function chatGenerations(): Promise<GenerationView[]> {
  const list = await h.api<{ data: GenerationView[] }>('/v1/generations?limit=100');
  return list.body.data.filter((g) => g.metadata.source === 'chat');
}

describe('songs through the OpenAI chat API, with the official openai client', () => {
  it('lists the model aliases of the default provider', async () => {
    const ids: string[] = [];
    for await (const m of client.models.list()) ids.push(m.id);
    expect(ids).toEqual(expect.arrayContaining(['suno-v3', 'suno-v3.5', 'suno-v4', 'suno-v4.5', 'suno-auk', 'chirp-v4']));
    const one = await client.models.retrieve('suno-v4');
    expect(one).toMatchObject({ id: 'suno-v4', object: 'model', mv: 'chirp-v4' });
    await expect(client.models.retrieve('gpt-4o')).rejects.toBeInstanceOf(OpenAI.NotFoundError);
  });

  it('answers a finished song (non-streaming), made by an ordinary durable generation', async () => {
    const before = (await chatGenerations()).length;
    const c = await client.chat.completions.create({
      model: 'suno-v4',
      messages: [
        { role: 'system', content: 'You are a songwriter.' },
        { role: 'user', content: 'a calm piano song about rain' },
      ],
    });
    expect(c.object).toBe('chat.completion');
    expect(c.model).toBe('suno-v4');
    expect(c.choices[0]!.finish_reason).toBe('stop');
    const text = c.choices[0]!.message.content!;
    const id = generationIdOf(c.id);
    const g = (await h.api<GenerationView>(`/v1/generations/${id}`)).body;
    expect(g.status).toBe('succeeded');
    expect(g.metadata).toMatchObject({ source: 'chat', model: 'suno-v4' });
    expect(g.clips).toHaveLength(2);
    for (const clip of g.clips) {
      expect(clip.model).toBe('chirp-v4'); // the alias reached upstream as its mv
      expect(text).toContain(clip.audio_url);
      expect(text).toContain(clip.video_url);
      expect(text).toContain(`## ${g.clips[0]!.title}`);
    }
    expect(links(text, 'audio')).toHaveLength(2);
    await expectPlayable(links(text, 'audio')[0]!);
    expect((await chatGenerations()).length).toBe(before + 1);
  });

  it('makes a custom-mode song when the message carries lyrics', async () => {
    const c = await client.chat.completions.create({
      model: 'suno-v3.5',
      messages: [{ role: 'user', content: 'Title: Chat Song\nStyle: indie pop\n\n[Verse]\nHello from the chat door\n[Chorus]\nLa la la' }],
    });
    const text = c.choices[0]!.message.content!;
    expect(text).toContain('## Chat Song');
    expect(text).toContain('Hello from the chat door');
    const g = (await h.api<GenerationView>(`/v1/generations/${generationIdOf(c.id)}`)).body;
    expect(g.clips[0]).toMatchObject({ title: 'Chat Song', tags: 'indie pop', model: 'chirp-v3-5' });
  });

  it('streams progress chunks while the song is made, then the song, then stops', async () => {
    const stream = await client.chat.completions.create({
      model: 'suno-v4',
      stream: true,
      messages: [{ role: 'user', content: 'an upbeat synthwave song [sim:duration=2000]' }],
    });
    const chunks: OpenAI.ChatCompletionChunk[] = [];
    for await (const ch of stream) chunks.push(ch);
    const text = chunks.map((ch) => ch.choices[0]?.delta.content ?? '').join('');
    const id = generationIdOf(chunks[0]!.id);
    expect(chunks.every((ch) => ch.id === chunks[0]!.id && ch.object === 'chat.completion.chunk')).toBe(true);
    expect(chunks[0]!.choices[0]!.delta.role).toBe('assistant');
    expect(text).toContain(`Queued as generation ${id}`);
    expect(text).toMatch(/Step 1\/1 \(generate\) submitted upstream/);
    expect(links(text, 'stream').length).toBeGreaterThanOrEqual(1);
    expect(chunks.at(-1)!.choices[0]!.finish_reason).toBe('stop');
    const g = (await h.api<GenerationView>(`/v1/generations/${id}`)).body;
    expect(g.status).toBe('succeeded');
    for (const clip of g.clips) {
      expect(text).toContain(clip.audio_url);
      expect(text).toContain(clip.video_url);
    }
    // Order: queued, submitted, streaming, then the final links.
    const at = (s: string) => text.indexOf(s);
    expect(at('Queued')).toBeLessThan(at('submitted upstream'));
    expect(at('submitted upstream')).toBeLessThan(at('/stream/'));
    expect(at('/stream/')).toBeLessThan(at('/audio/'));
  });

  it('ends the raw event stream with data: [DONE], and a usage chunk when asked', async () => {
    const res = await fetch(`${h.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${KEYS.alpha}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'suno-v4', stream: true, stream_options: { include_usage: true }, messages: [{ role: 'user', content: 'instrumental ambient drone' }] }),
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const id = res.headers.get('x-refrain-generation-id')!;
    const body = await res.text();
    expect(body.endsWith('data: [DONE]\n\n')).toBe(true);
    const events = body.split('\n\n').filter((b) => b.startsWith('data: {')).map((b) => JSON.parse(b.slice(6)) as { choices: unknown[]; usage?: unknown });
    expect(events.at(-1)).toMatchObject({ choices: [], usage: { total_tokens: 0 } });
    expect(body).toContain('(instrumental)');
    const g = (await h.api<GenerationView>(`/v1/generations/${id}`)).body;
    expect(g.clips.every((c) => c.lyrics === '')).toBe(true);
  });

  it('keeps the generation going when the streaming client goes away', async () => {
    const stream = await client.chat.completions.create({
      model: 'suno-v4',
      stream: true,
      messages: [{ role: 'user', content: 'a song that outlives its listener [sim:duration=1500]' }],
    });
    let id = '';
    for await (const ch of stream) {
      id = generationIdOf(ch.id);
      if (ch.choices[0]?.delta.content?.includes('Queued')) break; // leaving the loop aborts the request
    }
    expect(stream.controller.signal.aborted).toBe(true);
    const g = await h.waitFinal(id);
    expect(g.status).toBe('succeeded');
    expect(g.clips.every((c) => c.status === 'complete')).toBe(true);
  });

  it('refuses an unknown model in the OpenAI error shape', async () => {
    const err = await client.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'a song' }] }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpenAI.NotFoundError);
    const e = err as InstanceType<typeof OpenAI.NotFoundError>;
    expect(e.status).toBe(404);
    expect(e.code).toBe('model_not_found');
    expect(e.type).toBe('invalid_request_error');
    expect(e.param).toBe('model');
    expect(e.message).toContain('suno-v4');
    const raw = await h.api<{ error: { message: string; type: string; code: string } }>('/v1/chat/completions', {
      body: { model: 'nope', messages: [{ role: 'user', content: 'x' }] },
    });
    expect(raw.status).toBe(404);
    expect(raw.headers.get('content-type')).toMatch(/^application\/json/);
    expect(Object.keys(raw.body)).toEqual(['error']);
    expect(raw.body.error).toMatchObject({ type: 'invalid_request_error', code: 'model_not_found' });
  });

  it('answers bad keys and bad bodies in the OpenAI error shape', async () => {
    const wrong = new OpenAI({ baseURL: `${h.url}/v1`, apiKey: 'not-a-key-at-all-000000', maxRetries: 0 });
    await expect(wrong.models.list()).rejects.toBeInstanceOf(OpenAI.AuthenticationError);
    await expect(wrong.chat.completions.create({ model: 'suno-v4', messages: [{ role: 'user', content: 'x' }] })).rejects.toBeInstanceOf(
      OpenAI.AuthenticationError,
    );
    const none = await h.api<{ error: { code: string; type: string } }>('/v1/chat/completions', { key: null, body: {} });
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect(none.body.error).toMatchObject({ type: 'invalid_request_error', code: 'invalid_api_key' });
    const noMessages = await h.api<{ error: { param: string } }>('/v1/chat/completions', { body: { model: 'suno-v4' } });
    expect(noMessages.status).toBe(400);
    expect(noMessages.body.error.param).toBe('messages');
    const notJson = await h.api<{ error: { code: string } }>('/v1/chat/completions', { body: '{"model": ' });
    expect(notJson.status).toBe(400);
    expect(notJson.body.error.code).toBe('invalid_json');
    const noUser = await client.chat.completions.create({ model: 'suno-v4', messages: [{ role: 'system', content: 'hi' }] }).catch((e: unknown) => e);
    expect(noUser).toBeInstanceOf(OpenAI.BadRequestError);
    // Chat apps send the whole conversation: bodies past the generic 64 KiB limit are read.
    const history = Array.from({ length: 40 }, (_, i) => ({ role: i % 2 ? 'assistant' : 'user', content: 'la '.repeat(1000) }));
    const big = await h.api<{ error: { code: string } }>('/v1/chat/completions', { body: { model: 'nope', messages: history } });
    expect(big.body.error.code).toBe('model_not_found');
    const badProvider = await h.api<{ error: { code: string } }>('/v1/models', { headers: { 'x-refrain-provider': 'nowhere' } });
    expect(badProvider.status).toBe(422);
    expect(badProvider.body.error.code).toBe('unknown_provider');
    // The rest of /v1 keeps its problem+json errors.
    expect((await h.api('/v1/generations', { key: null })).headers.get('content-type')).toContain('application/problem+json');
  });

  it('reports a failed song as an OpenAI error naming the generation, without a retry, streaming or not', async () => {
    const before = (await chatGenerations()).length;
    const err = await client.chat.completions
      .create({ model: 'suno-v4', messages: [{ role: 'user', content: 'a doomed song [sim:error]' }] })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpenAI.APIError);
    const e = err as InstanceType<typeof OpenAI.APIError>;
    expect(e.status).toBe(502);
    expect(e.headers?.get('x-should-retry')).toBe('false');
    const generationId = (e.error as { generation_id: string }).generation_id;
    expect((await h.api<GenerationView>(`/v1/generations/${generationId}`)).body.status).toBe('failed');
    expect(e.code).toBe((await h.api<GenerationView>(`/v1/generations/${generationId}`)).body.error!.code);
    expect((await chatGenerations()).length).toBe(before + 1);

    const stream = await client.chat.completions.create({ model: 'suno-v4', stream: true, messages: [{ role: 'user', content: 'doomed again [sim:error]' }] });
    const seen: string[] = [];
    const streamErr = await (async () => {
      for await (const ch of stream) seen.push(ch.choices[0]?.delta.content ?? '');
    })().catch((x: unknown) => x);
    expect(streamErr).toBeInstanceOf(OpenAI.APIError);
    expect((streamErr as InstanceType<typeof OpenAI.APIError>).message).toMatch(/failed/);
    expect(seen.join('')).toContain('Queued as generation');
  });

  it('gives up waiting after CHAT_MAX_WAIT_S with 504 naming the generation, once, and the generation goes on', async () => {
    const before = (await chatGenerations()).length;
    const started = Date.now();
    const err = await client.chat.completions
      .create({ model: 'suno-v4', messages: [{ role: 'user', content: 'a song that never ends [sim:never]' }] })
      .catch((e: unknown) => e);
    expect(Date.now() - started).toBeGreaterThanOrEqual(MAX_WAIT_S * 1000 - 100);
    expect(err).toBeInstanceOf(OpenAI.APIError);
    const e = err as InstanceType<typeof OpenAI.APIError>;
    expect(e.status).toBe(504);
    expect(e.code).toBe('generation_timeout');
    const generationId = (e.error as { generation_id: string }).generation_id;
    expect(generationId).toMatch(/^gen_/);
    expect(e.message).toContain(generationId);
    // x-should-retry: false kept the client from retrying into a second, paid song.
    expect((await chatGenerations()).length).toBe(before + 1);
    const g = (await h.api<GenerationView>(`/v1/generations/${generationId}`)).body;
    expect(['queued', 'running']).toContain(g.status);
  });
});
