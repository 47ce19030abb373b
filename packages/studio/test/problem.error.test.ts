import { describe, expect, it } from 'vitest';
import { ApiError } from '../src/app/api';
import { explainProblem, fieldOfPath, inWords } from '../src/app/problem';

describe('problem+json next to the fields', () => {
  it('puts each issue on the field its path ends in, through the form’s aliases', () => {
    const err = new ApiError(400, 'request body: steps.0.title: Too big', [
      { path: ['steps', 0, 'title'], message: 'Too big: expected string to have <=200 characters', code: 'too_big' },
      { path: ['steps', 0, 'gpt_description_prompt'], message: 'Too small: expected string to have >=1 characters', code: 'too_small' },
      { path: ['steps', 1, 'infill_end_s'], message: 'infill_end_s must be greater than infill_start_s', code: 'custom' },
    ]);
    const e = explainProblem(err, ['title', 'description', 'infill_end_s'], { gpt_description_prompt: 'description' });
    expect(e.fields).toEqual({
      title: 'Too long: at most 200 characters.',
      description: 'This cannot be empty.',
      infill_end_s: 'infill_end_s must be greater than infill_start_s',
    });
    expect(e.general).toBeNull();
  });

  it('keeps issues about fields the form does not show, in the general message', () => {
    const err = new ApiError(400, 'x', [
      { path: ['input', 'cover_tags'], message: 'Too big: expected string to have <=500 characters', code: 'too_big' },
      { path: [], message: 'Unrecognized key: "seed"', code: 'unrecognized_keys' },
    ]);
    const e = explainProblem(err, ['tags']);
    expect(e.fields).toEqual({});
    expect(e.general).toBe('cover_tags: Too long: at most 500 characters. Unrecognized key: "seed"');
  });

  it('places a refusal without issues by its words, or says it whole', () => {
    const model = explainProblem(new ApiError(422, 'step 0 (generate): provider "sim" has no model "chirp-x" (models: chirp-v4)', [], 0), ['mv']);
    expect(model.fields.mv).toContain('has no model "chirp-x"');
    const op = explainProblem(new ApiError(422, 'step 0 (stems): provider "relay" does not offer the operation "stems"', [], 0), ['mv']);
    expect(op.general).toContain('does not offer the operation "stems"');
  });

  it('explains refused keys, rate limits and failures to send in words', () => {
    expect(explainProblem(new ApiError(401, 'no key'), []).general).toMatch(/key was not accepted/);
    expect(explainProblem(new ApiError(429, 'slow down', [], null, 12), []).general).toBe('Too many requests for now; try again in 12 s.');
    expect(explainProblem(new TypeError('Failed to fetch'), []).general).toBe('The request could not be sent: Failed to fetch');
  });

  it('reads the field at the end of a path, skipping the containers', () => {
    expect(fieldOfPath(['steps', 2, 'continue_at'])).toBe('continue_at');
    expect(fieldOfPath(['input', 'audio_url'])).toBe('audio_url');
    expect(fieldOfPath(['steps'])).toBeNull();
    expect(fieldOfPath([])).toBeNull();
  });

  it('turns zod’s terse numbers into words and leaves other messages as the API said them', () => {
    expect(inWords('Too big: expected number to be <=3600')).toBe('At most 3600.');
    expect(inWords('Too small: expected number to be >=0')).toBe('At least 0.');
    expect(inWords('Invalid input: expected number, received string')).toBe('Enter a number.');
    expect(inWords('audio_url is not allowed: private address')).toBe('audio_url is not allowed: private address');
  });
});
