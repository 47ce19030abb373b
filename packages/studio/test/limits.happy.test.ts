import { describe, expect, it } from 'vitest';
import { LIMITS as API_LIMITS } from '@refrain/contracts';
import { LIMITS } from '../src/app/limits';

describe("the studio's copy of the input limits", () => {
  it('is the API’s own, limit by limit', () => {
    for (const [name, value] of Object.entries(LIMITS)) expect(value, name).toBe(API_LIMITS[name as keyof typeof API_LIMITS]);
  });
});
