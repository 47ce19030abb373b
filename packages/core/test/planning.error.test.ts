import { describe, expect, it } from 'vitest';
import { createGenerationRequest, OPS } from '@refrain/contracts';
import { PlanError, planGeneration, type ProviderCapabilities } from '../src';

const everything: ProviderCapabilities = { name: 'sim', operations: OPS, models: ['chirp-v3-5', 'chirp-v4'] };
const planError = (body: unknown, provider: ProviderCapabilities = everything): PlanError => {
  try {
    planGeneration(createGenerationRequest.parse(body), provider);
  } catch (e) {
    if (e instanceof PlanError) return e;
    throw e;
  }
  throw new Error('expected a PlanError');
};

describe('request validation', () => {
  it('rejects an extend without continue_at at the schema', () => {
    const r = createGenerationRequest.safeParse({ steps: [{ op: 'generate', gpt_description_prompt: 'x' }, { op: 'extend' }] });
    expect(r.success).toBe(false);
  });

  it('rejects replace_section whose end is not after its start', () => {
    const r = createGenerationRequest.safeParse({
      steps: [{ op: 'replace_section', clip_id: 'c', infill_start_s: 10, infill_end_s: 10 }],
    });
    expect(r.success).toBe(false);
    expect(JSON.stringify(r.error!.issues)).toContain('infill_end_s must be greater than infill_start_s');
  });

  it('rejects unknown fields, more than 10 steps, and out-of-range numbers', () => {
    expect(createGenerationRequest.safeParse({ steps: [{ op: 'generate', gpt_description_prompt: 'x', colour: 'red' }] }).success).toBe(false);
    const eleven = Array.from({ length: 11 }, () => ({ op: 'generate', gpt_description_prompt: 'x' }));
    expect(createGenerationRequest.safeParse({ steps: eleven }).success).toBe(false);
    expect(createGenerationRequest.safeParse({ steps: [{ op: 'extend', continue_clip_id: 'c', continue_at: -1 }] }).success).toBe(false);
  });

  it('names the step when a first step needs a clip and names none', () => {
    const e = planError({ steps: [{ op: 'concat' }] });
    expect(e.status).toBe(400);
    expect(e.step).toBe(0);
    expect(e.message).toMatch(/step 0 \(concat\): needs a clip/);
  });

  it('answers 422 naming the provider and the operation it lacks', () => {
    const e = planError(
      { steps: [{ op: 'generate', gpt_description_prompt: 'x' }, { op: 'stems' }] },
      { name: 'gw', operations: ['generate', 'extend', 'lyrics'], models: ['chirp-v3-0'] },
    );
    expect(e.status).toBe(422);
    expect(e.step).toBe(1);
    expect(e.message).toContain('provider "gw" does not offer the operation "stems"');
  });

  it('answers 422 for a model the provider does not have, naming the ones it has', () => {
    const e = planError({ steps: [{ op: 'generate', gpt_description_prompt: 'x', mv: 'chirp-v9' }] });
    expect(e.status).toBe(422);
    expect(e.message).toContain('provider "sim" has no model "chirp-v9" (models: chirp-v3-5, chirp-v4)');
    const relay = { name: 'relay', operations: OPS, models: ['chirp-v3-0', 'chirp-v4-5', 'chirp-v5'] };
    expect(planError({ steps: [{ op: 'generate', prompt: 'x', mv: 'chirp-v5-5' }] }, relay).message).toContain('(models: chirp-v3-0, chirp-v4-5, chirp-v5)');
    // A codename names the same model as its version name.
    expect(() => planGeneration({ steps: [{ op: 'generate', prompt: 'x', mv: 'chirp-crow' }] }, relay)).not.toThrow();
    expect(planError({ steps: [{ op: 'generate', prompt: 'x', mv: 'chirp-fenix' }] }, relay).status).toBe(422);
  });

  it('refuses upstream extras that are nested, too big, or name a field Refrain sets', () => {
    const step = (upstream: unknown) => ({ steps: [{ op: 'generate', prompt: 'x', upstream }] }) as never;
    // The API parses the body first; planning checks each step again (as for scenario steps).
    expect(createGenerationRequest.safeParse(step({ callback_url: 'x' })).success).toBe(false);
    const planError = (body: never): PlanError => {
      try {
        planGeneration(body, everything);
      } catch (e) {
        if (e instanceof PlanError) return e;
        throw e;
      }
      throw new Error('expected a PlanError');
    };
    const nested = planError(step({ opts: { a: 1 } }));
    expect(nested.status).toBe(400);
    expect(nested.issues[0]).toMatchObject({ path: ['steps', 0, 'upstream', 'opts'] });
    const reserved = planError(step({ callback_url: 'https://evil.example/x' }));
    expect(reserved.issues[0]).toMatchObject({ path: ['steps', 0, 'upstream', 'callback_url'], message: expect.stringMatching(/Refrain sets itself/) });
    expect(planError(step(Object.fromEntries(Array.from({ length: 17 }, (_, i) => [`k${i}`, i])))).message).toMatch(/at most 16 fields/);
    expect(planError(step({ lyrics_hint: 'x'.repeat(1001) })).status).toBe(400);
    expect(planError(step({ BadKey: 1 })).status).toBe(400);
    expect(() => planGeneration(step({ vocal_gender: 'f', style_weight: 0.6, weirdness_constraint: 0.3, instrumental_only: false, seed: null }), everything)).not.toThrow();
  });

  it('rejects a generate with neither mode, and one with both', () => {
    expect(planError({ steps: [{ op: 'generate' }] }).message).toMatch(/needs gpt_description_prompt/);
    expect(planError({ steps: [{ op: 'generate', gpt_description_prompt: 'x', prompt: 'lyrics' }] }).message).toMatch(/not both/);
  });

  it('rejects a clip step after a lyrics step and a scenario missing its audio_url', () => {
    expect(planError({ steps: [{ op: 'lyrics', prompt: 'x' }, { op: 'extend', continue_at: 3 }] }).message).toMatch(/makes none/);
    const e = planError({ scenario: 'upload_extend', input: { continue_at: 3 } });
    expect(e.step).toBe(0);
    expect(e.message).toMatch(/step 0 \(upload\): audio_url/);
  });
});
