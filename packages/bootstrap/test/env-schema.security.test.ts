import { describe, expect, it } from 'vitest';
import { MIN_SEEDED_KEY_LENGTH, refrainEnv } from '../src/env-schema';

// Issue #17, finding 11: seeded keys may no longer be short. They are stored as sha256 like
// generated keys (no slow hash: every request would pay for it), so only long random keys are safe.
describe('API_KEYS', () => {
  const parse = (API_KEYS: string) => refrainEnv.safeParse({ API_KEYS });

  it(`refuses a key shorter than ${MIN_SEEDED_KEY_LENGTH} characters, naming the rule`, () => {
    const r = parse(`acme:${'k'.repeat(MIN_SEEDED_KEY_LENGTH - 1)}`);
    expect(r.success).toBe(false);
    expect(r.error!.issues[0]!.message).toMatch(/32\+ visible ASCII characters/);
    // The old minimum of 16 is refused too.
    expect(parse('acme:0123456789abcdef').success).toBe(false);
  });

  it('refuses a key with spaces or control characters (a Bearer token cannot carry them)', () => {
    expect(parse(`acme:${'k'.repeat(20)} ${'k'.repeat(20)}`).success).toBe(false);
    expect(parse(`acme:${'k'.repeat(40)}\u0007`).success).toBe(false);
  });

  it('accepts long keys, one per tenant pair', () => {
    const a = 'a'.repeat(MIN_SEEDED_KEY_LENGTH);
    const b = `rk_${'b'.repeat(40)}`;
    const r = parse(`acme:${a}, beta:${b}`);
    expect(r.success).toBe(true);
    expect(r.data!.API_KEYS).toEqual([
      { tenant: 'acme', key: a },
      { tenant: 'beta', key: b },
    ]);
  });
});
