import { z } from 'zod';
import { gatewayDescriptionFields } from '@refrain/wire';
import { modelOf, present } from '../core/fields';
import type { DoorSubmission } from '../core/submit';

export const gatewayDescriptionBody = z.object(gatewayDescriptionFields);
export type GatewayDescriptionBody = z.infer<typeof gatewayDescriptionBody>;

/** gpt_desc and chatgpt: description mode (`prompt` is documented as optional and unused there). */
export const descriptionStep = (b: GatewayDescriptionBody): DoorSubmission['step'] => ({
  op: 'generate',
  gpt_description_prompt: b.gpt_description_prompt,
  ...present({ make_instrumental: b.make_instrumental, mv: modelOf(b.mv) }),
});
