import { z } from 'zod';

/** RFC 9457 problem details, with the zod issues when validation failed. */
export const problem = z.object({
  type: z.string(),
  title: z.string(),
  status: z.number().int(),
  detail: z.string().optional(),
  instance: z.string().optional(),
  request_id: z.string().optional(),
  step: z.number().int().optional(),
  issues: z
    .array(z.object({ path: z.array(z.union([z.string(), z.number()])), message: z.string(), code: z.string() }))
    .optional(),
});
export type Problem = z.infer<typeof problem>;
