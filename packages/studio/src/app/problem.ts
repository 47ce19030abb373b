import { ApiError, type Issue } from './api';

/** What a refused request means for a form: a message per field, and what fits no field. */
export interface FormErrors {
  fields: Record<string, string>;
  general: string | null;
}

export const NO_ERRORS: FormErrors = { fields: {}, general: null };

/** zod's terse messages in plain words; anything else is kept as the API said it. */
export function inWords(message: string): string {
  const rules: [RegExp, (m: RegExpMatchArray) => string][] = [
    [/^Too big: expected string to have <=\s*(\d+) characters?$/, (m) => `Too long: at most ${m[1]} characters.`],
    [/^Too small: expected string to have >=\s*1 characters?$/, () => 'This cannot be empty.'],
    [/^Too small: expected string to have >=\s*(\d+) characters?$/, (m) => `Too short: at least ${m[1]} characters.`],
    [/^Too big: expected number to be <=\s*(\S+)$/, (m) => `At most ${m[1]}.`],
    [/^Too small: expected number to be >=\s*(\S+)$/, (m) => `At least ${m[1]}.`],
    [/^Invalid input: expected number, received (\w+)$/, () => 'Enter a number.'],
    [/^Invalid (URL|url)$/, () => 'Enter a full http(s) address, like https://example.com/song.mp3.'],
  ];
  for (const [re, say] of rules) {
    const m = message.match(re);
    if (m) return say(m);
  }
  return message;
}

/** The API's field name at the end of an issue path: `["steps", 0, "infill_end_s"]` → `infill_end_s`. */
export function fieldOfPath(path: Issue['path']): string | null {
  for (let i = path.length - 1; i >= 0; i--) {
    const p = path[i];
    if (typeof p === 'string' && p !== 'steps' && p !== 'input') return p;
  }
  return null;
}

/** Refusals that name no field in `issues` but whose words say which one. */
const DETAIL_FIELDS: [RegExp, string][] = [
  [/has no model/, 'mv'],
  [/unknown provider/, 'provider'],
];

/**
 * Puts each issue of a problem+json answer next to the field it concerns. `alias` maps an
 * API field name to the form's own (e.g. `gpt_description_prompt` → `description`); an
 * issue for a field the form does not show goes to `general`, so nothing is hidden.
 */
export function explainProblem(err: unknown, shown: readonly string[], alias: Record<string, string> = {}): FormErrors {
  if (!(err instanceof ApiError)) return { fields: {}, general: `The request could not be sent: ${(err as Error)?.message ?? String(err)}` };
  if (err.status === 401) return { fields: {}, general: 'Your API key was not accepted. Enter it again at the top of the page.' };
  if (err.status === 429) return { fields: {}, general: `Too many requests for now; try again${err.retryAfterS ? ` in ${err.retryAfterS} s` : ' shortly'}.` };
  const fields: Record<string, string> = {};
  const rest: string[] = [];
  const place = (api: string | null, message: string) => {
    const name = api ? (alias[api] ?? api) : null;
    if (name && shown.includes(name)) fields[name] ??= message;
    else rest.push(api ? `${api}: ${message}` : message);
  };
  for (const issue of err.issues) place(fieldOfPath(issue.path), inWords(issue.message));
  if (err.issues.length === 0) {
    const hit = DETAIL_FIELDS.find(([re]) => re.test(err.detail));
    place(hit ? hit[1] : null, err.detail);
  }
  return { fields, general: rest.length ? rest.join(' ') : null };
}
