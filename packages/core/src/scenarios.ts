import type { Scenario, ScenarioInput, StepInput } from '@refrain/contracts';

type Pick<K extends keyof ScenarioInput> = { [P in K]?: ScenarioInput[P] };
const pick = <K extends keyof ScenarioInput>(input: ScenarioInput, keys: readonly K[]): Pick<K> => {
  const out: Pick<K> = {};
  for (const k of keys) if (input[k] !== undefined) out[k] = input[k];
  return out;
};

const SONG_FIELDS = ['gpt_description_prompt', 'make_instrumental', 'prompt', 'title', 'tags', 'negative_tags', 'mv', 'upstream'] as const;

/**
 * Named scenarios are shorthands for step lists (SPEC section 4). The flat `input`
 * goes to the steps that know each field; `cover_*` fields go to the cover step,
 * so the original and the cover can differ in style.
 */
export function expandScenario(scenario: Scenario, input: ScenarioInput): StepInput[] {
  switch (scenario) {
    case 'extend_full':
      return [
        { op: 'generate', ...pick(input, SONG_FIELDS) },
        { op: 'extend', continue_at: input.continue_at ?? 30, ...pick(input, ['from_clip', 'mv', 'upstream']) },
        { op: 'concat' },
      ] as StepInput[];
    case 'upload_extend':
      return [
        { op: 'upload', audio_url: input.audio_url ?? '' },
        { op: 'extend', continue_at: input.continue_at ?? 30, ...pick(input, ['prompt', 'title', 'tags', 'mv', 'upstream']) },
      ] as StepInput[];
    case 'cover':
      return [
        { op: 'generate', ...pick(input, SONG_FIELDS) },
        {
          op: 'cover',
          ...pick(input, ['from_clip', 'mv', 'upstream']),
          ...(input.cover_prompt !== undefined ? { prompt: input.cover_prompt } : {}),
          ...(input.cover_tags !== undefined ? { tags: input.cover_tags } : {}),
          ...(input.cover_title !== undefined ? { title: input.cover_title } : {}),
        },
      ] as StepInput[];
    case 'lyrics_song':
      return [
        { op: 'lyrics', prompt: input.prompt ?? input.gpt_description_prompt ?? '' },
        { op: 'generate', ...pick(input, ['title', 'tags', 'negative_tags', 'mv', 'upstream']) },
      ] as StepInput[];
    default: {
      const never: never = scenario;
      throw new Error(`unknown scenario ${String(never)}`);
    }
  }
}
