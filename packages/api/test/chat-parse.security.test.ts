import { describe, expect, it } from 'vitest';
import { OpenAiError } from '../src/chat/errors';
import { MAX_SONG_MESSAGE_CHARS, parseSongMessage } from '../src/chat/parse';
import { toGenerationRequest } from '../src/chat/request';

/**
 * Issue #17, finding 1: a "title:" line of many spaces ending in a line separator made the
 * title and style patterns backtrack quadratically (200 KB took 15 s of blocked event loop).
 * The bounds are generous (the machine is shared); the old parser missed them by far.
 */
const trap = (label: string, n: number) => `${label}a${' '.repeat(n)}\u2028x`;
const adversarial = (n: number) => `${trap('title:', n)}\n${trap('Style: ', n)}\n[Verse]\nla la la`;

const timed = <T>(fn: () => T): { value: T; ms: number } => {
  const start = performance.now();
  const value = fn();
  return { value, ms: performance.now() - start };
};

describe('the chat message parser under hostile input', () => {
  it('parses 200 KB of backtracking bait in linear time', () => {
    const { value, ms } = timed(() => parseSongMessage(adversarial(100_000)));
    expect(ms).toBeLessThan(1500);
    // The bait lines are not a title or a style (a line separator sits inside the value).
    expect(value).toMatchObject({ mode: 'custom', lyrics: '[Verse]\nla la la' });
    expect(value).not.toHaveProperty('title');
  });

  it('still reads real title and style lines, with spaces around the value', () => {
    expect(parseSongMessage(`Title:   Tea Time   \nStyle :folk\n[Verse]\nla`)).toMatchObject({ title: 'Tea Time', tags: 'folk' });
    expect(parseSongMessage(`song title：雨夜\n风格： 民谣\n[主歌]\n雨`)).toMatchObject({ title: '雨夜', tags: '民谣' });
  });

  it('refuses a message longer than any song before a pattern looks at it', () => {
    const body = { model: 'chirp-v4', messages: [{ role: 'user' as const, content: adversarial(150_000) }] };
    const { value: error, ms } = timed(() => {
      try {
        toGenerationRequest(body, 'chirp-v4', 'sim');
        return null;
      } catch (e) {
        return e;
      }
    });
    expect(ms).toBeLessThan(200);
    expect(error).toBeInstanceOf(OpenAiError);
    expect((error as OpenAiError).status).toBe(400);
    expect((error as OpenAiError).message).toContain(`at most ${MAX_SONG_MESSAGE_CHARS}`);
  });

  it('accepts a message of the longest lyrics with a title and a style line', () => {
    const lyrics = `[Verse]\n${'la '.repeat(1664)}`.slice(0, 5000);
    const text = `Title: ${'t'.repeat(200)}\nStyle: ${'s'.repeat(500)}\n\n${lyrics}`;
    expect(text.length).toBeLessThanOrEqual(MAX_SONG_MESSAGE_CHARS);
    const req = toGenerationRequest({ model: 'chirp-v4', messages: [{ role: 'user', content: text }] }, 'chirp-v4', 'sim');
    expect(req).toMatchObject({ steps: [{ op: 'generate', prompt: lyrics.trim() }] });
  });
});
