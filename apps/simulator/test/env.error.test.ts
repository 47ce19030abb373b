import { describe, expect, it } from 'vitest';
import { parseEnv } from '../src/env';

describe('simulator env', () => {
  it('defaults', () => {
    expect(parseEnv({})).toEqual({ PORT: 3090, HOST: '127.0.0.1' });
    expect(parseEnv({ SIM_API_KEY: '', PORT: '' })).toEqual({ PORT: 3090, HOST: '127.0.0.1' });
  });

  it('reads every variable', () => {
    expect(
      parseEnv({ PORT: '0', HOST: '::1', SIM_API_KEY: 'k', SIM_DURATION_MS: '0', PUBLIC_URL: 'http://127.0.0.1:9000' }),
    ).toEqual({ PORT: 0, HOST: '::1', SIM_API_KEY: 'k', SIM_DURATION_MS: 0, PUBLIC_URL: 'http://127.0.0.1:9000' });
  });

  it('a bad value is an error naming the variable', () => {
    expect(() => parseEnv({ PORT: 'abc' })).toThrow(/PORT/);
    expect(() => parseEnv({ PORT: '70000' })).toThrow(/PORT/);
    expect(() => parseEnv({ SIM_DURATION_MS: '-5' })).toThrow(/SIM_DURATION_MS/);
    expect(() => parseEnv({ PUBLIC_URL: 'ftp://x' })).toThrow(/PUBLIC_URL/);
  });
});
