import { DIALECTS, type Dialect } from '@refrain/contracts';
import { describe, expect, it } from 'vitest';
import { ADAPTER_FACTORIES, createAdapter, describeProvider, factoryFor, providerSupports } from '../src';
import { testConfig } from './helpers/mock-upstream';

describe('registry', () => {
  it('builds one adapter per dialect with its declared capabilities', () => {
    const expected: Record<Dialect, { batch: number; callbacks: boolean; credits: boolean; ops: number }> = {
      native: { batch: 100, callbacks: false, credits: false, ops: 9 },
      gateway: { batch: 1, callbacks: false, credits: true, ops: 4 },
      relay: { batch: 1000, callbacks: true, credits: false, ops: 3 },
      action: { batch: 50, callbacks: true, credits: false, ops: 8 },
    };
    for (const dialect of DIALECTS) {
      const a = createAdapter(testConfig(dialect));
      expect(a.dialect).toBe(dialect);
      expect(a.queryBatchSize).toBe(expected[dialect].batch);
      expect(a.supportsCallbacks).toBe(expected[dialect].callbacks);
      expect(typeof a.parseCallback === 'function').toBe(expected[dialect].callbacks);
      expect(typeof a.credits === 'function').toBe(expected[dialect].credits);
      expect(a.operations).toHaveLength(expected[dialect].ops);
      expect(factoryFor(dialect)).toBe(ADAPTER_FACTORIES[dialect]);
    }
  });

  it('answers which ops a provider supports', () => {
    expect(providerSupports(createAdapter(testConfig('relay')), 'lyrics')).toBe(true);
    expect(providerSupports(createAdapter(testConfig('relay')), 'cover')).toBe(false);
    expect(providerSupports(createAdapter(testConfig('action')), 'lyrics')).toBe(false);
  });

  it('fails loudly on a dialect no factory knows', () => {
    expect(() => factoryFor('soap' as Dialect)).toThrow(/unknown provider dialect: soap/);
  });

  it('describes a provider for GET /v1/providers', () => {
    expect(describeProvider(testConfig('gateway'))).toEqual({
      name: 'test-gateway',
      dialect: 'gateway',
      operations: ['generate', 'extend', 'concat', 'lyrics'],
      models: ['chirp-v3-0', 'chirp-v3-5', 'chirp-v4', 'chirp-v4-5'],
      default_model: 'chirp-v3-0',
      callbacks: false,
    });
    // A configured list narrows the dialect's, in Refrain's names (a codename counts as its model).
    const narrowed = describeProvider(testConfig('relay', { callbacks: true, models: ['chirp-v4', 'chirp-auk'] }));
    expect(narrowed).toMatchObject({ models: ['chirp-v4', 'chirp-v4-5'], default_model: 'chirp-v4', callbacks: true });
    expect(describeProvider(testConfig('native', { callbacks: true, default_model: 'chirp-crow' }))).toMatchObject({ default_model: 'chirp-v5', callbacks: false });
    // A model newer than Refrain knows passes through as configured.
    expect(describeProvider(testConfig('native', { models: ['chirp-v6'] }))).toMatchObject({ models: ['chirp-v6'], default_model: 'chirp-v6' });
  });

  it('refuses an op the dialect lacks without any request', async () => {
    await expect(createAdapter(testConfig('gateway')).submit({ op: 'cover', model: 'chirp-v3-0', input: {} })).rejects.toThrow(/does not support cover/);
  });
});
