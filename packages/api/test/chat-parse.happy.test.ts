import { describe, expect, it } from 'vitest';
import { chatCompletionRequest } from '@refrain/contracts';
import { hintsFromMetadata, instrumentalHint, isSectionLine, lastUserText, parseSongMessage } from '../src/chat/parse';
import { toGenerationRequest } from '../src/chat/request';
import { OpenAiError } from '../src/chat/errors';

describe('lastUserText', () => {
  it('takes the last user message, joining text parts and skipping other roles and parts', () => {
    expect(
      lastUserText([
        { role: 'system', content: 'You make songs.' },
        { role: 'user', content: 'first idea' },
        { role: 'assistant', content: 'here is a song' },
        { role: 'user', content: [{ type: 'text', text: 'a sea shanty' }, { type: 'image_url' }, { type: 'text', text: 'about tea' }] },
      ]),
    ).toBe('a sea shanty\nabout tea');
  });

  it('answers null when no user message has text', () => {
    expect(lastUserText([{ role: 'system', content: 'x' }])).toBeNull();
    expect(lastUserText([{ role: 'user', content: '   ' }])).toBeNull();
    expect(lastUserText([{ role: 'user', content: null }])).toBeNull();
  });
});

describe('parseSongMessage', () => {
  it('treats plain text as a description', () => {
    expect(parseSongMessage('a calm piano song about rain')).toEqual({ mode: 'description', description: 'a calm piano song about rain', instrumental: false });
  });

  it('makes a custom-mode song from section-tagged lyrics, with title and style lines', () => {
    const ask = parseSongMessage('Title: Tea Time\nStyle: folk, acoustic\n\n[Verse]\nKettle on the stove\n[Chorus]\nTea time, tea time\n[Bridge]\nSteam');
    expect(ask).toEqual({
      mode: 'custom',
      lyrics: '[Verse]\nKettle on the stove\n[Chorus]\nTea time, tea time\n[Bridge]\nSteam',
      title: 'Tea Time',
      tags: 'folk, acoustic',
      instrumental: false,
    });
  });

  it('uses the text before the lyrics as the style when no style line is given', () => {
    const ask = parseSongMessage('标题:雨夜\n一首安静的民谣\n[主歌]\n雨落下来');
    expect(ask).toMatchObject({ mode: 'custom', title: '雨夜', tags: '一首安静的民谣', lyrics: '[主歌]\n雨落下来' });
  });

  it('recognises qualified section tags but not other brackets', () => {
    for (const line of ['[Verse 1]', '[Final Chorus]', '[Chorus: x2]', '[Pre-Chorus]', '[Intro] soft piano', '[outro]', '[副歌]']) {
      expect(isSectionLine(line), line).toBe(true);
    }
    for (const line of ['[sim:never] a song', '[Endless night]', 'Verse one', '[Versus]', 'a [chorus] inside']) {
      expect(isSectionLine(line), line).toBe(false);
    }
  });

  it('honours an instrumental hint in the text, in several wordings and languages', () => {
    expect(parseSongMessage('an instrumental lo-fi beat')).toMatchObject({ mode: 'description', instrumental: true });
    expect(parseSongMessage('jazz with no vocals')).toMatchObject({ instrumental: true });
    expect(parseSongMessage('来一首纯音乐')).toMatchObject({ instrumental: true });
    expect(parseSongMessage('a pop song, not instrumental')).toMatchObject({ instrumental: false });
    expect(instrumentalHint('a song with vocals over an instrumental loop')).toBe(false);
  });

  it('does not take an [Instrumental] section inside the lyrics as a hint', () => {
    expect(parseSongMessage('[Verse]\nla la\n[Instrumental]\n[Chorus]\nla')).toMatchObject({ mode: 'custom', instrumental: false });
    expect(parseSongMessage('instrumental version\n[Verse]\nla la')).toMatchObject({ mode: 'custom', instrumental: true });
  });

  it('lets metadata hints win over the text', () => {
    const hints = hintsFromMetadata({ instrumental: 'false', title: 'Given', style: 'ambient', other: 'x' });
    expect(hints).toEqual({ instrumental: false, title: 'Given', tags: 'ambient' });
    expect(parseSongMessage('an instrumental piece', hints)).toMatchObject({ instrumental: false });
    expect(parseSongMessage('Title: Mine\n[Verse]\nhi', hints)).toMatchObject({ title: 'Given', tags: 'ambient' });
    expect(hintsFromMetadata({ instrumental: true })).toEqual({ instrumental: true });
    expect(hintsFromMetadata({ instrumental: 'yes' })).toEqual({ instrumental: true });
    expect(hintsFromMetadata(null)).toEqual({});
  });
});

describe('toGenerationRequest', () => {
  const req = (body: unknown) => chatCompletionRequest.parse(body);

  it('makes one description-mode generate step tagged as a chat generation', () => {
    const g = toGenerationRequest(req({ model: 'suno-v4', messages: [{ role: 'user', content: 'a calm song' }], temperature: 0.7 }), 'chirp-v4', 'sim');
    expect(g).toEqual({
      steps: [{ op: 'generate', gpt_description_prompt: 'a calm song', make_instrumental: false, mv: 'chirp-v4' }],
      provider: 'sim',
      metadata: { source: 'chat', model: 'suno-v4' },
    });
  });

  it('makes a custom-mode step from lyrics and keeps the client metadata, routing keys aside', () => {
    const g = toGenerationRequest(
      req({
        model: 'suno-v3.5',
        messages: [{ role: 'user', content: 'Title: T\n[Verse]\nhello' }],
        metadata: { provider: 'sim', user_ref: 'abc', callback_url: 'https://example.com/hook', instrumental: 'true' },
      }),
      'chirp-v3-5',
      'sim',
    );
    expect(g).toMatchObject({ steps: [{ op: 'generate', prompt: '[Verse]\nhello', title: 'T', make_instrumental: true, mv: 'chirp-v3-5' }] });
    expect(g.metadata).toEqual({ user_ref: 'abc', instrumental: 'true', source: 'chat', model: 'suno-v3.5' });
    expect(g.callback_url).toBe('https://example.com/hook');
  });

  it('refuses a conversation without a user message, and text over the limits, as OpenAI errors', () => {
    const none = () => toGenerationRequest(req({ model: 'm', messages: [{ role: 'system', content: 'x' }] }), 'chirp-v4', 'sim');
    expect(none).toThrow(OpenAiError);
    expect(none).toThrow(/no user message/);
    const long = () => toGenerationRequest(req({ model: 'm', messages: [{ role: 'user', content: 'x'.repeat(3001) }] }), 'chirp-v4', 'sim');
    expect(long).toThrow(/at most 3000/);
  });
});
