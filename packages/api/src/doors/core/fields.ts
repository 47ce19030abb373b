/** Small helpers every door uses to build its one step from a body. */

/** The step's fields without the ones the client left out (null means absent too). */
export function present<T extends Record<string, unknown>>(obj: T): { [K in keyof T]?: Exclude<T[K], null | undefined> } {
  return Object.fromEntries(Object.entries(obj).filter(([, v]) => v !== undefined && v !== null)) as never;
}

/** A model name as Refrain takes it: seed 002's `-upload` suffix only says "continue an upload", which Refrain knows by itself. */
export const modelOf = (mv: string | null | undefined): string | undefined => (mv ? mv.replace(/-upload$/, '') : undefined);

/** Non-empty text, else undefined (clients send "" for "not given"). */
export const given = (s: string | null | undefined): string | undefined => (s === undefined || s === null || s.trim() === '' ? undefined : s);
