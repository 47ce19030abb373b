import { describe, expect, it } from 'vitest';
import { canonicalModel, chatModels, codenameOf, MODEL_ALIASES, resolveChatModel } from '../src';

describe('model names', () => {
  it('maps Suno’s codenames onto Refrain’s names and back; unknown names pass through', () => {
    expect(['chirp-auk', 'chirp-bluejay', 'chirp-crow', 'chirp-fenix'].map(canonicalModel)).toEqual(['chirp-v4-5', 'chirp-v4-5-plus', 'chirp-v5', 'chirp-v5-5']);
    expect(['chirp-v4-5', 'chirp-v4-5-plus', 'chirp-v5', 'chirp-v5-5'].map(codenameOf)).toEqual(['chirp-auk', 'chirp-bluejay', 'chirp-crow', 'chirp-fenix']);
    expect(canonicalModel('chirp-v4')).toBe('chirp-v4');
    expect(codenameOf('chirp-v3-5')).toBe('chirp-v3-5');
    expect(codenameOf('chirp-auk')).toBe('chirp-auk');
    expect(canonicalModel('chirp-v9')).toBe('chirp-v9');
  });
});

describe('chat model aliases', () => {
  const all = ['chirp-v3-0', 'chirp-v3-5', 'chirp-v4', 'chirp-v4-5', 'chirp-v4-5-plus', 'chirp-v5', 'chirp-v5-5'];

  it('maps each alias to its model and lets the provider\'s own names pass through', () => {
    expect(MODEL_ALIASES).toMatchObject({ 'suno-v3': 'chirp-v3-0', 'suno-v3.5': 'chirp-v3-5', 'suno-v4': 'chirp-v4', 'suno-v4.5': 'chirp-v4-5', 'suno-auk': 'chirp-v4-5', 'suno-v5': 'chirp-v5' });
    expect(resolveChatModel('suno-v4', all)).toBe('chirp-v4');
    expect(resolveChatModel('suno-v3.5', all)).toBe('chirp-v3-5');
    expect(resolveChatModel('chirp-v4-5', all)).toBe('chirp-v4-5');
    expect(resolveChatModel('chirp-crow', all)).toBe('chirp-v5'); // a codename names its model
    expect(chatModels(all).map((m) => m.id)).toEqual([
      'suno-v3', 'suno-v3.5', 'suno-v4', 'suno-v4.5', 'suno-auk', 'suno-v4.5-plus', 'suno-v5', 'suno-v5.5', ...all,
    ]);
  });

  it('offers only what the provider serves', () => {
    expect(chatModels(['chirp-v3-5', 'chirp-v6'])).toEqual([
      { id: 'suno-v3.5', mv: 'chirp-v3-5' },
      { id: 'chirp-v3-5', mv: 'chirp-v3-5' },
      { id: 'chirp-v6', mv: 'chirp-v6' },
    ]);
    expect(resolveChatModel('suno-v4', ['chirp-v3-5'])).toBeNull();
    expect(resolveChatModel('chirp-v4', ['chirp-v3-5'])).toBeNull();
    expect(resolveChatModel('gpt-4o', all)).toBeNull();
  });
});
