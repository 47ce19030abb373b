import { describe, expect, it } from 'vitest';
import { chatModels, MODEL_ALIASES, resolveChatModel } from '../src';

describe('chat model aliases', () => {
  const all = ['chirp-v3-0', 'chirp-v3-5', 'chirp-v4', 'chirp-v4-5', 'chirp-auk'];

  it('maps each alias to its mv and lets the provider\'s own names pass through', () => {
    expect(MODEL_ALIASES).toMatchObject({ 'suno-v3': 'chirp-v3-0', 'suno-v3.5': 'chirp-v3-5', 'suno-v4': 'chirp-v4', 'suno-v4.5': 'chirp-v4-5', 'suno-auk': 'chirp-auk' });
    expect(resolveChatModel('suno-v4', all)).toBe('chirp-v4');
    expect(resolveChatModel('suno-v3.5', all)).toBe('chirp-v3-5');
    expect(resolveChatModel('chirp-v4-5', all)).toBe('chirp-v4-5');
    expect(chatModels(all).map((m) => m.id)).toEqual(['suno-v3', 'suno-v3.5', 'suno-v4', 'suno-v4.5', 'suno-auk', ...all]);
  });

  it('offers only what the provider serves', () => {
    expect(chatModels(['chirp-v3-5', 'chirp-v5'])).toEqual([
      { id: 'suno-v3.5', mv: 'chirp-v3-5' },
      { id: 'chirp-v3-5', mv: 'chirp-v3-5' },
      { id: 'chirp-v5', mv: 'chirp-v5' },
    ]);
    expect(resolveChatModel('suno-v4', ['chirp-v3-5'])).toBeNull();
    expect(resolveChatModel('chirp-v4', ['chirp-v3-5'])).toBeNull();
    expect(resolveChatModel('gpt-4o', all)).toBeNull();
  });
});
