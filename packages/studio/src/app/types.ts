// The API's own shapes (type-only imports: nothing of zod reaches the bundle).
export type { ClipView, GenerationStatus, GenerationView, Op, StepStatus, StepView } from '@refrain/contracts';
import type { Dialect, Op } from '@refrain/contracts';

/** One entry of GET /v1/providers. */
export interface ProviderInfo {
  name: string;
  dialect: Dialect;
  operations: Op[];
  models: string[];
  default_model: string;
  default: boolean;
}

export const FINAL_STATUSES = ['succeeded', 'failed', 'canceled'] as const;
export const isFinal = (status: string): boolean => (FINAL_STATUSES as readonly string[]).includes(status);
