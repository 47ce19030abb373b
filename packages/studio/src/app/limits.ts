/**
 * The API's input limits (packages/contracts LIMITS), shown next to the fields. A copy,
 * because importing the contracts' values would bundle zod; test/limits.happy.test.ts
 * fails when the two drift apart.
 */
export const LIMITS = {
  description: 3000,
  lyrics: 5000,
  title: 200,
  tags: 500,
  maxSeconds: 3600,
} as const;
